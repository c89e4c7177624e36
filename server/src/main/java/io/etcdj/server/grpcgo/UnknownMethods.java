package io.etcdj.server.grpcgo;

import io.grpc.HandlerRegistry;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerMethodDefinition;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Set;

/**
 * The fallback for a method no service serves, answering as grpc-go does: UNIMPLEMENTED "unknown
 * service S" when no service is named S, "unknown method M for service S" when S is served but
 * not M, and RESOURCE_EXHAUSTED (grpc-go's choice) "malformed method name: \"/SM\"" when the path
 * has no '/' after the leading one. grpc-java's own answer would be "Method not found: S/M".
 */
final class UnknownMethods extends HandlerRegistry {
    private static final MethodDescriptor.Marshaller<InputStream> UNREAD = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(InputStream value) {
            return value;
        }

        @Override
        public InputStream parse(InputStream stream) {
            return new ByteArrayInputStream(new byte[0]);
        }
    };

    private final Set<String> services;

    UnknownMethods(Set<String> services) {
        this.services = Set.copyOf(services);
    }

    /** What grpc-go answers for {@code methodName} (the path without its leading '/'). */
    Status refusal(String methodName) {
        int slash = methodName.lastIndexOf('/');
        if (slash < 0) {
            return Status.RESOURCE_EXHAUSTED.withDescription("malformed method name: " + GoQuote.of("/" + methodName));
        }
        String service = methodName.substring(0, slash);
        String method = methodName.substring(slash + 1);
        return Status.UNIMPLEMENTED.withDescription(services.contains(service)
                ? "unknown method " + method + " for service " + service : "unknown service " + service);
    }

    @Override
    public ServerMethodDefinition<?, ?> lookupMethod(String methodName, String authority) {
        Status refusal = refusal(methodName);
        MethodDescriptor<InputStream, InputStream> unknown = MethodDescriptor.<InputStream, InputStream>newBuilder()
                .setType(MethodDescriptor.MethodType.UNKNOWN).setFullMethodName(methodName)
                .setRequestMarshaller(UNREAD).setResponseMarshaller(UNREAD).build();
        return ServerMethodDefinition.create(unknown, (call, headers) -> {
            call.close(refusal, new Metadata());
            return new ServerCall.Listener<>() {
            };
        });
    }
}
