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
    UINT("uint"),
    DURATION("duration"),
    STRING_SLICE("stringSlice");

    private final String typeName;

    FlagKind(String typeName) {
        this.typeName = typeName;
    }

    public String typeName() {
        return typeName;
    }

    /**
     * The value's name in cobra 1.x's flag list (pflag's UnquoteUsage without a back-quoted name):
     * nothing for a bool, "int" for an int64, "strings" for a string slice, else the type name.
     */
    public String usageVarName() {
        return switch (this) {
            case BOOL -> "";
            case INT64 -> "int";
            case STRING_SLICE -> "strings";
            default -> typeName;
        };
    }
}
