package io.etcdj.server.v2.http;

import java.util.List;

/** A cluster member as the v2 members API shows it; {@code name} is "" and clientUrls empty until it publishes. */
public record V2Member(long id, String name, List<String> peerUrls, List<String> clientUrls) {
}
