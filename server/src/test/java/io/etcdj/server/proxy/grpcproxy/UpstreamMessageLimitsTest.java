package io.etcdj.server.proxy.grpcproxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * How --max-send-bytes and --max-recv-bytes become the proxy's client limits, as etcd 3.4.23
 * turns them into its client's: a non-positive flag is left unset (clientv3's 2 MiB send default,
 * unbounded receive), and a send limit above the receive limit stops the proxy with clientv3's
 * words (reference: {@code --max-send-bytes 300000 --max-recv-bytes 200000} exits 1 printing the
 * line below).
 */
class UpstreamMessageLimitsTest {
    @Test
    void flagsThatAreNotPositiveLeaveClientv3sDefaults() {
        UpstreamMessageLimits unset = new UpstreamMessageLimits(0, -1);
        assertThat(unset.maxSendBytes()).isEqualTo(2 * 1024 * 1024);
        assertThat(unset.maxRecvBytes()).isEqualTo(Integer.MAX_VALUE);

        UpstreamMessageLimits flagDefaults = new UpstreamMessageLimits(1572864, 2147483647L);
        assertThat(flagDefaults.maxSendBytes()).isEqualTo(1572864);
        assertThat(flagDefaults.maxRecvBytes()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void aSendLimitAboveTheReceiveLimitIsRefused() {
        assertThat(UpstreamMessageLimits.refusal(300000, 200000))
                .hasValue("gRPC message recv limit (200000 bytes) must be greater than send limit (300000 bytes)");
        assertThat(UpstreamMessageLimits.refusal(200000, 200000)).isEmpty();
        assertThat(UpstreamMessageLimits.refusal(300000, 0)).as("receive limit unset").isEmpty();
        assertThat(UpstreamMessageLimits.refusal(0, 100)).as("send limit unset").isEmpty();
    }

    @Test
    void goGrpcWordsBothRefusals() {
        assertThat(UpstreamMessageLimits.sendTooLarge(150007, 100000))
                .isEqualTo("trying to send message larger than max (150007 vs. 100000)");
        assertThat(UpstreamMessageLimits.receivedTooLarge(270083, 200000))
                .isEqualTo("grpc: received message larger than max (270083 vs. 200000)");
    }
}
