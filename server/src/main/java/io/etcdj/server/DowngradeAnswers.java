package io.etcdj.server;

import io.etcdj.api.etcdserverpb.DowngradeRequest;
import java.util.regex.Pattern;

/**
 * etcd 3.5's Downgrade RPC for a cluster that cannot go lower: this build runs only as the version it
 * reports, so no downgrade target is allowed and no downgrade job is ever in flight. VALIDATE and
 * ENABLE check the target's format as etcd does ("3.4" or "3.4.0"; else "wrong downgrade target
 * version format"), then refuse it ("invalid downgrade target version"); CANCEL answers "no
 * inflight downgrade job"; any other action "unknown method".
 */
final class DowngradeAnswers {
    /** go-semver's shape: MAJOR.MINOR.PATCH with optional pre-release and build metadata. */
    private static final Pattern SEMVER = Pattern.compile("\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?");

    private DowngradeAnswers() {}

    /** The error etcd would give; never null, since no downgrade is possible. */
    static EtcdError refusal(DowngradeRequest request) {
        return switch (request.getAction()) {
            case VALIDATE, ENABLE -> wellFormed(request.getVersion())
                    ? EtcdError.INVALID_DOWNGRADE_TARGET_VERSION : EtcdError.WRONG_DOWNGRADE_VERSION_FORMAT;
            case CANCEL -> EtcdError.NO_INFLIGHT_DOWNGRADE;
            default -> EtcdError.UNKNOWN_METHOD;
        };
    }

    /** etcd accepts a full semantic version or "major.minor" (then ".0" is appended). */
    private static boolean wellFormed(String version) {
        return SEMVER.matcher(version).matches() || SEMVER.matcher(version + ".0").matches();
    }
}
