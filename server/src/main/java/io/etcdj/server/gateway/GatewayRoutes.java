package io.etcdj.server.gateway;

import com.google.api.AnnotationsProto;
import com.google.api.HttpRule;
import com.google.protobuf.Message;
import io.etcdj.api.etcdserverpb.AuthGrpc;
import io.etcdj.api.etcdserverpb.ClusterGrpc;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.LeaseGrpc;
import io.etcdj.api.etcdserverpb.MaintenanceGrpc;
import io.etcdj.api.etcdserverpb.WatchGrpc;
import io.etcdj.api.v3electionpb.ElectionGrpc;
import io.etcdj.api.v3lockpb.LockGrpc;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.grpc.protobuf.ProtoMethodDescriptorSupplier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The gateway's routing table, read from the google.api.http annotations of etcd's protos (never
 * written by hand): every POST binding and additional binding of every method of the eight etcd
 * services. Paths are stored without their "/v3" version prefix; etcd 3.4 serves each under
 * "/v3" and "/v3beta" (and no longer "/v3alpha").
 *
 * <p>The api module's protos are newer than etcd 3.4 in three methods that etcd 3.4's gateway
 * does not serve (it answers 404): Auth/AuthStatus and Maintenance/Downgrade do not exist in
 * 3.4, and 3.4 annotates HashKV with Hash's path "/v3/maintenance/hash", where Hash wins, so
 * HashKV is unreachable over JSON. {@link #NOT_SERVED_BY_ETCD_3_4} lists them.
 */
final class GatewayRoutes {
    /** Version prefixes etcd 3.4 serves the gateway under. */
    static final List<String> PREFIXES = List.of("/v3", "/v3beta");

    /** Methods whose annotated routes etcd 3.4's gateway does not serve (see the class comment). */
    static final Set<String> NOT_SERVED_BY_ETCD_3_4 = Set.of(
            "etcdserverpb.Auth/AuthStatus", "etcdserverpb.Maintenance/Downgrade", "etcdserverpb.Maintenance/HashKV");

    private final Map<String, GatewayRoute> byPath = new LinkedHashMap<>();

    private GatewayRoutes() {
    }

    static GatewayRoutes etcd() {
        GatewayRoutes routes = new GatewayRoutes();
        for (ServiceDescriptor s : List.of(KVGrpc.getServiceDescriptor(), WatchGrpc.getServiceDescriptor(),
                LeaseGrpc.getServiceDescriptor(), ClusterGrpc.getServiceDescriptor(),
                MaintenanceGrpc.getServiceDescriptor(), AuthGrpc.getServiceDescriptor(),
                LockGrpc.getServiceDescriptor(), ElectionGrpc.getServiceDescriptor())) {
            for (MethodDescriptor<?, ?> m : s.getMethods()) {
                if (!NOT_SERVED_BY_ETCD_3_4.contains(m.getFullMethodName())) {
                    routes.add(m);
                }
            }
        }
        return routes;
    }

    @SuppressWarnings("unchecked")
    private void add(MethodDescriptor<?, ?> m) {
        var proto = ((ProtoMethodDescriptorSupplier) m.getSchemaDescriptor()).getMethodDescriptor();
        HttpRule rule = proto.getOptions().getExtension(AnnotationsProto.http);
        Message prototype = (Message) ((MethodDescriptor.PrototypeMarshaller<?>) m.getRequestMarshaller())
                .getMessagePrototype();
        MethodDescriptor<Message, Message> method = (MethodDescriptor<Message, Message>) m;
        for (HttpRule r : concat(rule)) {
            if (r.getPatternCase() != HttpRule.PatternCase.POST || !r.getPost().startsWith("/v3/")) {
                throw new IllegalStateException("unexpected http rule on " + m.getFullMethodName() + ": " + r);
            }
            String path = r.getPost().substring("/v3".length());
            byPath.put(path, new GatewayRoute(path, method, prototype));
        }
    }

    private static List<HttpRule> concat(HttpRule rule) {
        ArrayList<HttpRule> all = new ArrayList<>();
        all.add(rule);
        all.addAll(rule.getAdditionalBindingsList());
        return all;
    }

    /** The route for a full request path such as "/v3beta/kv/put", or null. */
    GatewayRoute find(String path) {
        for (String prefix : PREFIXES) {
            if (path.startsWith(prefix + "/")) {
                return byPath.get(path.substring(prefix.length()));
            }
        }
        return null;
    }

    /** True when the path is under one of the gateway's version prefixes. */
    static boolean isGatewayPath(String path) {
        return PREFIXES.stream().anyMatch(p -> path.startsWith(p + "/"));
    }

    /** Every route, keyed by its path without the version prefix. */
    Map<String, GatewayRoute> all() {
        return Collections.unmodifiableMap(byPath);
    }
}
