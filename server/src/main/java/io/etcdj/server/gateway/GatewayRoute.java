package io.etcdj.server.gateway;

import com.google.protobuf.Message;
import io.grpc.MethodDescriptor;

/**
 * One POST path of the JSON gateway and the gRPC method it forwards to.
 *
 * @param path      the path without a version prefix, e.g. "/kv/range" (served under /v3 and /v3beta)
 * @param method    the generated stub's method descriptor (protobuf marshallers)
 * @param prototype the request message's default instance, used to build requests from JSON
 */
record GatewayRoute(String path, MethodDescriptor<Message, Message> method, Message prototype) {

    /** True when the gRPC method takes a stream of requests (Watch, LeaseKeepAlive). */
    boolean clientStreaming() {
        return !method.getType().clientSendsOneMessage();
    }

    /** True when the gRPC method answers with a stream (Watch, LeaseKeepAlive, Snapshot, Observe). */
    boolean serverStreaming() {
        return !method.getType().serverSendsOneMessage();
    }
}
