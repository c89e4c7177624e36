package io.etcdj.server.transport;

import io.etcdj.server.config.IpLiteral;
import io.etcdj.server.tls.TlsMaterial;
import io.grpc.Attributes;
import io.grpc.ManagedChannel;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import javax.net.ssl.SSLException;

/**
 * Opens gRPC channels from this member to another member's URL: plaintext for http://, TLS with
 * this member's client-side material for https:// (peer links use the peer flags, forwarded
 * client calls the client flags).
 */
public final class MemberChannels {
    /** For members without any TLS configuration: an https URL then fails to connect, as it must. */
    public static final MemberChannels PLAINTEXT = new MemberChannels(null, null);

    private final SslContext tls;
    /** The same material for raft streams, which do not go through gRPC; null without TLS. */
    private final RaftStreamTls raftTls;
    /** Null: the kernel picks the source address. */
    private final InetAddress source;

    private MemberChannels(SslContext tls, RaftStreamTls raftTls) {
        this(tls, raftTls, null);
    }

    private MemberChannels(SslContext tls, RaftStreamTls raftTls, InetAddress source) {
        this.tls = tls;
        this.raftTls = raftTls;
        this.source = source;
    }

    /**
     * The same, with every connection leaving from {@code host} when it is a specific IP address
     * of this machine (the host of this member's --listen-peer-urls): on a machine with several
     * addresses, peers see each member come from its own address, as separate hosts would.
     * A wildcard or a name leaves the choice to the kernel.
     */
    public MemberChannels leavingFrom(String host) {
        if (host == null || !IpLiteral.isIp(host)) {
            return this;
        }
        try {
            InetAddress a = InetAddress.getByName(host);
            return a.isAnyLocalAddress() ? this : new MemberChannels(tls, raftTls, a);
        } catch (UnknownHostException e) {
            return this;
        }
    }

    /** Channels that use {@code material} for https URLs (null: none configured). */
    public static MemberChannels using(TlsMaterial material) {
        if (material == null) {
            return PLAINTEXT;
        }
        try {
            SslContextBuilder b = GrpcSslContexts.forClient();
            if (material.keyManager() != null) {
                b.keyManager(material.keyManager());
            }
            b.trustManager(material.trustManager());
            b.protocols(material.protocols());
            if (material.cipherSuites() != null) {
                b.ciphers(material.cipherSuites(),
                        SupportedCipherSuiteFilter.INSTANCE);
            }
            return new MemberChannels(b.build(), new RaftStreamTls(material));
        } catch (SSLException e) {
            throw new UncheckedIOException(new IOException("cannot set up TLS for member links: " + e.getMessage(), e));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Opens a raft stream connection ({@link RaftStreamWire}) to a member's peer URL within
     * {@code timeoutMillis}: TLS for https://, from this member's peer address like the channels.
     */
    RaftStreamConnection openRaftStream(String url, long timeoutMillis) throws IOException {
        boolean https = url.startsWith("https://");
        if (https && raftTls == null) {
            throw new IOException("no peer TLS material for " + url);
        }
        return RaftStreamConnection.open(PeerUrl.address(url), source, https ? raftTls : null, timeoutMillis);
    }

    public ManagedChannel open(String url, int maxInboundBytes) {
        // No gRPC retries: PeerStream reopens a broken stream itself, and a retriable call keeps
        // every message it sent in a replay buffer, a copy per raft message on the hottest path.
        NettyChannelBuilder b = NettyChannelBuilder.forTarget(PeerUrl.target(url)).maxInboundMessageSize(maxInboundBytes)
                .disableRetry();
        if (source != null) {
            InetAddress from = source;
            b.localSocketPicker(new NettyChannelBuilder.LocalSocketPicker() {
                @Override
                public SocketAddress createSocketAddress(SocketAddress remote, Attributes attrs) {
                    return new InetSocketAddress(from, 0);
                }
            });
        }
        if (url.startsWith("https://") && tls != null) {
            b.sslContext(tls);
        } else {
            b.usePlaintext();
        }
        return b.build();
    }
}
