package io.etcdj.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.api.AnnotationsProto;
import com.google.api.HttpRule;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import io.etcdj.api.etcdserverpb.RpcProto;
import io.etcdj.api.v3electionpb.V3ElectionProto;
import io.etcdj.api.v3lockpb.V3LockProto;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The JSON gateway's routes can be read from the generated descriptors: every rpc carries its
 * google.api.http rule (POST, body "*"), as etcd's gateway serves them.
 */
class HttpRoutesTest {

  @Test
  void everyMethodHasAPostRouteWithTheWholeBody() {
    Map<String, String> routes = routes();
    assertThat(routes).hasSize(48)
        .containsEntry("etcdserverpb.KV/Range", "/v3/kv/range")
        .containsEntry("etcdserverpb.Watch/Watch", "/v3/watch")
        .containsEntry("etcdserverpb.Maintenance/MoveLeader", "/v3/maintenance/transfer-leadership")
        .containsEntry("etcdserverpb.Auth/UserChangePassword", "/v3/auth/user/changepw")
        .containsEntry("v3lockpb.Lock/Lock", "/v3/lock/lock")
        .containsEntry("v3electionpb.Election/Observe", "/v3/election/observe");
  }

  @Test
  void threeLeaseRoutesKeepTheirOlderKvAliases() {
    Map<String, List<String>> aliases = new TreeMap<>();
    allMethods().forEach(m -> {
      List<String> extra = rule(m).getAdditionalBindingsList().stream().map(HttpRule::getPost).toList();
      if (!extra.isEmpty()) {
        aliases.put(m.getService().getFullName() + "/" + m.getName(), extra);
      }
    });
    assertThat(aliases).isEqualTo(Map.of(
        "etcdserverpb.Lease/LeaseRevoke", List.of("/v3/kv/lease/revoke"),
        "etcdserverpb.Lease/LeaseTimeToLive", List.of("/v3/kv/lease/timetolive"),
        "etcdserverpb.Lease/LeaseLeases", List.of("/v3/kv/lease/leases")));
  }

  private static Map<String, String> routes() {
    Map<String, String> routes = new TreeMap<>();
    allMethods().forEach(m -> {
      HttpRule rule = rule(m);
      assertThat(rule.getPatternCase()).as(m.getFullName()).isEqualTo(HttpRule.PatternCase.POST);
      assertThat(rule.getBody()).as(m.getFullName()).isEqualTo("*");
      routes.put(m.getService().getFullName() + "/" + m.getName(), rule.getPost());
    });
    return routes;
  }

  private static HttpRule rule(MethodDescriptor method) {
    return method.getOptions().getExtension(AnnotationsProto.http);
  }

  private static Stream<MethodDescriptor> allMethods() {
    return Stream.of(RpcProto.getDescriptor(), V3LockProto.getDescriptor(), V3ElectionProto.getDescriptor())
        .flatMap(f -> f.getServices().stream())
        .map(ServiceDescriptor::getMethods)
        .flatMap(List::stream);
  }
}
