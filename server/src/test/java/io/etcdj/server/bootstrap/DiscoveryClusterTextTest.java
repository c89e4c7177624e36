package io.etcdj.server.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pure pieces of the discovery protocol: ranking registrations, the size, the cluster text. */
class DiscoveryClusterTextTest {
    static DiscoveryRegistration reg(String id, String value, long createdIndex) {
        return new DiscoveryRegistration("/discovery/t/" + id, value, createdIndex, createdIndex);
    }

    @Test
    void registrationsRankByCreatedIndexNotByKey() {
        List<DiscoveryRegistration> regs = new ArrayList<>(List.of(reg("aa", "a=http://a:1", 9),
                reg("bb", "b=http://b:1", 7), reg("cc", "c=http://c:1", 8)));
        regs.sort(DiscoveryRegistration.BY_CREATED_INDEX);
        assertThat(regs).extracting(DiscoveryRegistration::name).containsExactly("bb", "cc", "aa");
    }

    @Test
    void aNodeFromTheServiceKeepsItsKeyValueAndIndexes() {
        DiscoveryRegistration r = DiscoveryRegistration.fromNode(Map.of("key", "/discovery/t/e6ce497792d1871c",
                "value", "m1=http://127.0.0.2:2380", "createdIndex", 5.0, "modifiedIndex", 6.0));
        assertThat(r).isEqualTo(new DiscoveryRegistration("/discovery/t/e6ce497792d1871c", "m1=http://127.0.0.2:2380", 5, 6));
        assertThat(r.name()).isEqualTo("e6ce497792d1871c");
        assertThat(reg("_config", "", 1).isConfig()).isTrue();
    }

    @Test
    void theSizeIsAnUnsignedDecimal() throws Exception {
        assertThat(EtcdDiscovery.parseSize("3")).isEqualTo(3);
        for (String bad : List.of("", "-1", "+3", " 3", "3.0", "three")) {
            assertThatThrownBy(() -> EtcdDiscovery.parseSize(bad)).as(bad)
                    .hasMessage("discovery: size key is bad");
        }
    }

    @Test
    void theClusterTextJoinsTheRegisteredValuesInRankOrder() throws Exception {
        String text = EtcdDiscovery.toClusterText(List.of(reg("2", "m2=http://127.0.0.2:2380", 5),
                reg("1", "m1=http://127.0.0.1:2380,m1=http://127.0.0.1:2381", 6)), 2);
        assertThat(text).isEqualTo("m2=http://127.0.0.2:2380,m1=http://127.0.0.1:2380,m1=http://127.0.0.1:2381");
    }

    @Test
    void aRepeatedNameOrABadUrlIsRejected() {
        assertThatThrownBy(() -> EtcdDiscovery.toClusterText(List.of(reg("1", "m=http://a:1", 1),
                reg("2", "m=http://b:1", 2)), 2)).hasMessage("discovery: found duplicate name");
        assertThatThrownBy(() -> EtcdDiscovery.toClusterText(List.of(reg("1", "m=::bad", 1)), 1))
                .hasMessage("discovery: invalid URL");
    }
}
