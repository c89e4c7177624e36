package io.etcdj.etcdctl.cli;

/**
 * The value types etcdctl's flags use, with pflag's parsing and default-rendering rules.
 * {@link #typeName()} is pflag's Value.Type(), which decides quoting in the usage text.
 */
public enum FlagKind {
    BOOL("bool"),
    STRING("string"),
    INT("int"),
    INT64("int64"),
    DURATION("duration"),
    STRING_SLICE("stringSlice");

    private final String typeName;

    FlagKind(String typeName) {
        this.typeName = typeName;
    }

    public String typeName() {
        return typeName;
    }
}
