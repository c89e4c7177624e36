package io.etcdj.server.v2.store;

import java.util.Map;

/**
 * An error of the v2 API as etcd reports it: {@code {"errorCode":..,"message":..,"cause":..,"index":..}}.
 * The message is fixed by the code; the cause names the offending key or value; the index is the
 * store's etcd index when the error happened (0 for request-form errors, which never reach the store).
 */
public final class V2Error extends RuntimeException {
    public static final int KEY_NOT_FOUND = 100;
    public static final int TEST_FAILED = 101;
    public static final int NOT_FILE = 102;
    public static final int NOT_DIR = 104;
    public static final int NODE_EXIST = 105;
    public static final int ROOT_READ_ONLY = 107;
    public static final int DIR_NOT_EMPTY = 108;
    public static final int UNAUTHORIZED = 110;
    public static final int VALUE_REQUIRED = 200;
    public static final int PREV_VALUE_REQUIRED = 201;
    public static final int TTL_NAN = 202;
    public static final int INDEX_NAN = 203;
    public static final int INVALID_FIELD = 209;
    public static final int INVALID_FORM = 210;
    public static final int REFRESH_VALUE = 211;
    public static final int REFRESH_TTL_REQUIRED = 212;
    public static final int RAFT_INTERNAL = 300;
    public static final int LEADER_ELECT = 301;
    public static final int WATCHER_CLEARED = 400;
    public static final int EVENT_INDEX_CLEARED = 401;

    private static final Map<Integer, String> MESSAGES = Map.ofEntries(
            Map.entry(KEY_NOT_FOUND, "Key not found"),
            Map.entry(TEST_FAILED, "Compare failed"),
            Map.entry(NOT_FILE, "Not a file"),
            Map.entry(NOT_DIR, "Not a directory"),
            Map.entry(NODE_EXIST, "Key already exists"),
            Map.entry(ROOT_READ_ONLY, "Root is read only"),
            Map.entry(DIR_NOT_EMPTY, "Directory not empty"),
            Map.entry(UNAUTHORIZED, "The request requires user authentication"),
            Map.entry(VALUE_REQUIRED, "Value is Required in POST form"),
            Map.entry(PREV_VALUE_REQUIRED, "PrevValue is Required in POST form"),
            Map.entry(TTL_NAN, "The given TTL in POST form is not a number"),
            Map.entry(INDEX_NAN, "The given index in POST form is not a number"),
            Map.entry(204, "Value or TTL is required in POST form"),
            Map.entry(205, "The given timeout in POST form is not a number"),
            Map.entry(206, "Standby Internal Error"),
            Map.entry(207, "Invalid active size"),
            Map.entry(208, "Standby remove size"),
            Map.entry(INVALID_FIELD, "Invalid field"),
            Map.entry(INVALID_FORM, "Invalid POST form"),
            Map.entry(REFRESH_VALUE, "Value provided on refresh"),
            Map.entry(REFRESH_TTL_REQUIRED, "A TTL must be provided on refresh"),
            Map.entry(RAFT_INTERNAL, "Raft Internal Error"),
            Map.entry(LEADER_ELECT, "During Leader Election"),
            Map.entry(WATCHER_CLEARED, "watcher is cleared due to etcd recovery"),
            Map.entry(EVENT_INDEX_CLEARED, "The event in requested index is outdated and cleared"));

    private final int code;
    private final String errorCause;
    private final long index;

    public V2Error(int code, String cause, long index) {
        super(code + ": " + MESSAGES.getOrDefault(code, "") + " (" + cause + ") [" + index + "]");
        this.code = code;
        this.errorCause = cause;
        this.index = index;
    }

    public int code() { return code; }
    public String errorMessage() { return MESSAGES.getOrDefault(code, ""); }
    public String errorCause() { return errorCause; }
    public long index() { return index; }

    /** The same error with another cause (used to strip the keys namespace from paths). */
    public V2Error withCause(String newCause) { return new V2Error(code, newCause, index); }

    /** The HTTP status etcd answers this error with (400 unless listed). */
    public int httpStatus() {
        switch (code) {
            case KEY_NOT_FOUND: return 404;
            case NOT_FILE: case DIR_NOT_EMPTY: return 403;
            case UNAUTHORIZED: return 401;
            case TEST_FAILED: case NODE_EXIST: return 412;
            case RAFT_INTERNAL: case LEADER_ELECT: return 500;
            default: return 400;
        }
    }
}
