package io.etcdj.server.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The parts of v3 discovery that need no registry: the size key's syntax, the cluster text, the prefix range. */
class V3DiscoveryRulesTest {
    @Test
    void theSizeIsAPositiveDecimalAsGosParseIntReadsIt() throws Exception {
        assertThat(V3Discovery.parseSize("3")).isEqualTo(3);
        assertThat(V3Discovery.parseSize("+5")).isEqualTo(5);
        assertThat(V3Discovery.parseSize("007")).isEqualTo(7);
        for (String bad : List.of("0", "-1", "", " 3", "3 ", "three", "0x10", "\u0663", "99999999999999999999")) {
            assertThatThrownBy(() -> V3Discovery.parseSize(bad)).as(bad).isInstanceOf(DiscoveryException.class)
                    .hasMessage("discovery: size key is bad");
        }
    }

    @Test
    void theClusterIsTheFirstSizeRegistrationsInRankOrder() throws Exception {
        List<RegistryClient.Entry> ranked = List.of(new RegistryClient.Entry("/k/a", "a=http://127.0.0.1:2380", 5),
                new RegistryClient.Entry("/k/b", "b=http://127.0.0.2:2380,b=http://127.0.0.2:2381", 6),
                new RegistryClient.Entry("/k/c", "c=http://127.0.0.3:2380", 9));
        assertThat(V3Discovery.clusterText(ranked, 2))
                .isEqualTo("a=http://127.0.0.1:2380,b=http://127.0.0.2:2380,b=http://127.0.0.2:2381");
        assertThatThrownBy(() -> V3Discovery.clusterText(List.of(new RegistryClient.Entry("/k/x", "x=not a url", 1)), 1))
                .hasMessage("discovery: invalid peer URL");
    }

    @Test
    void aPrefixRangeEndsAfterTheLastKeyWithThePrefix() {
        assertThat(RegistryClient.prefixEnd("/_etcd/registry/t/members"))
                .isEqualTo(ByteString.copyFromUtf8("/_etcd/registry/t/membert"));
        assertThat(RegistryClient.prefixEnd("a\u00ff").toByteArray()).containsExactly('a', 0xc3, 0xc0);
    }
}
