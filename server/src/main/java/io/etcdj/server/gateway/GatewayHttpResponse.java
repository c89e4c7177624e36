package io.etcdj.server.gateway;

import java.util.List;
import java.util.Map;

/**
 * A complete gateway response. Headers are written in the given order (the gateway gives them
 * sorted by name, as Go writes a handler's header map); non-empty trailers make the body chunked.
 */
public record GatewayHttpResponse(int status, List<Map.Entry<String, String>> headers, byte[] body,
                                  List<Map.Entry<String, String>> trailers) {
}
