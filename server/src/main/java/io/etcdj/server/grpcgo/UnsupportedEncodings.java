package io.etcdj.server.grpcgo;

import io.grpc.Metadata;
import io.grpc.ServerStreamTracer;

/**
 * etcd's gRPC server has no decompressor, not even gzip (grpc-go registers one only when the
 * program imports it, and etcd does not): a call whose grpc-encoding is anything but "identity"
 * is refused with UNIMPLEMENTED "grpc: Decompressor is not installed for grpc-encoding \"gzip\"",
 * after the method was found. grpc-java would decompress gzip and word the refusal of other
 * encodings its own way, before the method lookup. So, while the headers are still being read,
 * this takes the encoding out (grpc-java then sees an uncompressed call) and leaves it under
 * {@link #REFUSED_ENCODING} for {@link RefusingCallHandler}, which ends a known method's call at
 * its start; an unknown method is refused as unknown first, as grpc-go does. A client's own
 * {@code REFUSED_ENCODING} header is removed.
 */
final class UnsupportedEncodings extends ServerStreamTracer.Factory {
    private static final Metadata.Key<String> ENCODING = Metadata.Key.of("grpc-encoding", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> REFUSED_ENCODING =
            Metadata.Key.of("etcdj-refused-grpc-encoding", Metadata.ASCII_STRING_MARSHALLER);
    private static final ServerStreamTracer NOTHING_TO_TRACE = new ServerStreamTracer() {
    };

    @Override
    public ServerStreamTracer newServerStreamTracer(String fullMethodName, Metadata headers) {
        headers.discardAll(REFUSED_ENCODING);
        String encoding = headers.get(ENCODING);
        if (encoding != null) {
            headers.discardAll(ENCODING); // "identity" too: the server's registry is empty (see GoGrpcRefusals)
            if (!encoding.equals("identity")) {
                headers.put(REFUSED_ENCODING, encoding);
            }
        }
        return NOTHING_TO_TRACE;
    }
}
