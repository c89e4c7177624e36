package io.etcdj.server.proxy.v2;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class V2ReverseProxyTest {
    @Test
    void headerNamesAreWrittenInGosCanonicalForm() {
        assertThat(V2ReverseProxy.canonicalName("x-etcd-cluster-id")).isEqualTo("X-Etcd-Cluster-Id");
        assertThat(V2ReverseProxy.canonicalName("CONTENT-TYPE")).isEqualTo("Content-Type");
        assertThat(V2ReverseProxy.canonicalName("x-raft-term")).isEqualTo("X-Raft-Term");
    }
}
