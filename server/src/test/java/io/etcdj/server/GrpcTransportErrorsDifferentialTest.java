package io.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.LeaseGrantRequest;
import io.etcdj.api.etcdserverpb.LeaseGrantResponse;
import io.etcdj.api.etcdserverpb.LeaseKeepAliveRequest;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.WatchCreateRequest;
import io.etcdj.api.etcdserverpb.WatchRequest;
import io.etcdj.api.etcdserverpb.WatchResponse;
import io.etcdj.server.gateway.ReferenceEtcd;
import io.etcdj.server.proxy.grpcproxy.GrpcProxy;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Codec;
import io.grpc.CompressorRegistry;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a gRPC client sees when the gRPC layer itself refuses a call, the same bytes sent to the
 * reference etcd 3.4.23 (grpc-go) and to one of our members (grpc-java underneath): messages
 * over the server's receive limit (--max-request-bytes + 512 KiB) on unary and streaming methods,
 * requests between --max-request-bytes and that limit (etcd's own refusal), bytes that are not the
 * method's protobuf, unknown services and methods, compressed messages (etcd registers no
 * decompressor, not even gzip), half-closed streams. The client is grpc-java with pass-through
 * byte marshallers, so anything can be sent; each outcome is written as the status code and
 * description (or what the stream delivered before it ended), and the two transcripts must match.
 *
 * <p>Decode errors: etcd's messages are gogoproto's generated code, whose texts ("unexpected
 * EOF", "proto: wrong wireType = 0 for field Key", ...) we reproduce for the mistakes below; the
 * health service's are golang/protobuf's. The same refusals are compared through etcd's
 * grpc-proxy and ours. An expired grpc-timeout is {@link GrpcDeadlineDifferentialTest}'s.
 */
class GrpcTransportErrorsDifferentialTest {
    private static final long WAIT_SECONDS = 10;
    /** etcd's default --max-request-bytes; its gRPC server takes messages up to 512 KiB more. */
    private static final int DEFAULT_MAX_REQUEST_BYTES = 1536 * 1024;

    @TempDir
    Path dir;

    @Test
    void defaultLimitsGiveGrpcGosErrors() throws Exception {
        assertSameTranscript(new String[0], UnaryOperator.identity(), ep -> new Scenario(ep).defaultLimits());
    }

    @Test
    void largeMaxRequestBytesMovesTheReceiveLimit() throws Exception {
        int large = 3 << 20;
        assertSameTranscript(new String[] {"--max-request-bytes=" + large}, s -> s.withMaxRequestBytes(large),
                ep -> new Scenario(ep).limitsAround(large));
    }

    @Test
    void smallMaxRequestBytesMovesTheReceiveLimit() throws Exception {
        assertSameTranscript(new String[] {"--max-request-bytes=10000"}, s -> s.withMaxRequestBytes(10_000),
                ep -> new Scenario(ep).limitsAround(10_000));
    }

    /**
     * etcd's grpc-proxy is a grpc-go server too, with grpc-go's default receive limit (4 MiB) and
     * --max-send-bytes 1.5 MiB towards the members.
     */
    @Test
    void grpcProxyRefusesAsEtcdsProxyDoes() throws Exception {
        List<String> reference;
        try (ReferenceEtcd etcd = new ReferenceEtcd(); ReferenceProxy proxy = new ReferenceProxy(etcd.clientPort)) {
            reference = new Scenario(proxy.endpoint).throughProxy();
        }
        List<String> transcript;
        try (EtcdCluster c = EtcdCluster.start(dir, 1);
             GrpcProxy proxy = GrpcProxy.to(List.of(c.clientUrl(0)), GrpcProxy.UpstreamTls.NONE, "")) {
            c.awaitLeader(Duration.ofSeconds(WAIT_SECONDS));
            proxy.start(new InetSocketAddress("127.0.0.1", 0), null);
            transcript = new Scenario("127.0.0.1:" + proxy.address().getPort()).throughProxy();
        }
        assertSame(reference, transcript);
    }

    private interface Run {
        List<String> on(String endpoint) throws Exception;
    }

    private void assertSameTranscript(String[] referenceFlags, UnaryOperator<MemberSettings> ours, Run run)
            throws Exception {
        List<String> reference;
        try (ReferenceEtcd etcd = new ReferenceEtcd(referenceFlags)) {
            reference = run.on("127.0.0.1:" + etcd.clientPort);
        }
        List<String> transcript;
        try (EtcdCluster c = EtcdCluster.start(dir, 1, 10_000, 5_000, ours)) {
            c.awaitLeader(Duration.ofSeconds(WAIT_SECONDS));
            URI url = URI.create(c.clientUrl(0));
            transcript = run.on(url.getHost() + ":" + url.getPort());
        }
        assertSame(reference, transcript);
    }

    private static void assertSame(List<String> reference, List<String> ours) {
        System.out.println("reference etcd's transcript:\n" + String.join("\n", reference));
        assertThat(String.join("\n", ours)).isEqualTo(String.join("\n", reference));
    }

    /** {@code etcd grpc-proxy start} of the reference etcd in front of one member, on a free port. */
    static final class ReferenceProxy implements AutoCloseable {
        final String endpoint;
        private final Process process;

        ReferenceProxy(int memberPort) throws IOException {
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
                port = s.getLocalPort();
            }
            endpoint = "127.0.0.1:" + port;
            process = new ProcessBuilder("/usr/bin/etcd", "grpc-proxy", "start", "--endpoints=127.0.0.1:" + memberPort,
                    "--listen-addr=" + endpoint).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            try (Client c = new Client(endpoint)) {
                while (!c.unary("etcdserverpb.KV/Range", hex("0a0161"), CallOptions.DEFAULT).equals("OK")) {
                    if (!process.isAlive() || System.nanoTime() > deadline) {
                        close();
                        throw new IllegalStateException("the reference grpc-proxy did not serve within 30 s");
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
                }
            }
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    /** One pass of calls against one endpoint, each outcome a line of the transcript. */
    private static final class Scenario {
        private final String endpoint;
        private final List<String> lines = new ArrayList<>();

        Scenario(String endpoint) {
            this.endpoint = endpoint;
        }

        List<String> defaultLimits() throws Exception {
            try (Client c = new Client(endpoint)) {
                limits(c, DEFAULT_MAX_REQUEST_BYTES);
                streamLimits(c, DEFAULT_MAX_REQUEST_BYTES);
                undecodable(c);
                unknownMethods(c);
                compression(c);
                halfClosedStreams(c);
            }
            return lines;
        }

        /** Through a proxy: its own receive limit, its send limit towards the member, the rest as a member. */
        List<String> throughProxy() throws Exception {
            try (Client c = new Client(endpoint)) {
                for (int size : new int[] {3 << 20, 5 << 20}) {
                    lines.add("put of " + size + " bytes: " + c.unary("etcdserverpb.KV/Put", putOfSize(size),
                            CallOptions.DEFAULT));
                }
                byte[] watch = WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder()
                        .setKey(ByteString.copyFrom(new byte[5 << 20]))).build().toByteArray();
                lines.add("watch create of 5 MiB: " + c.stream("etcdserverpb.Watch/Watch", List.of(watch), false));
                for (String method : List.of("foo.Bar/Put", "etcdserverpb.KV/Nope", "grpc.health.v1.Health/Check")) {
                    lines.add(method + ": " + c.unary(method, hex("0a016b"), CallOptions.DEFAULT));
                }
                lines.add("Put 0a05: " + c.unary("etcdserverpb.KV/Put", hex("0a05"), CallOptions.DEFAULT));
                lines.add("put with gzip: " + c.unary("etcdserverpb.KV/Put", hex("0a017a"),
                        CallOptions.DEFAULT.withCompression("gzip")));
            }
            return lines;
        }

        List<String> limitsAround(int maxRequestBytes) throws Exception {
            try (Client c = new Client(endpoint)) {
                limits(c, maxRequestBytes);
                streamLimits(c, maxRequestBytes);
            }
            return lines;
        }

        /** Puts whose encoded size is just under, at and over each limit. */
        private void limits(Client c, int maxRequestBytes) {
            int receiveLimit = maxRequestBytes + 512 * 1024;
            for (int size : new int[] {maxRequestBytes - 100, maxRequestBytes + 100, receiveLimit, receiveLimit + 1,
                    receiveLimit + 1024 * 1024}) {
                byte[] put = putOfSize(size);
                lines.add("put of " + relative(put.length, maxRequestBytes, receiveLimit) + ": "
                        + c.unary("etcdserverpb.KV/Put", put, CallOptions.DEFAULT));
            }
        }

        /** A watch create request and a keep-alive over the receive limit end their streams. */
        private void streamLimits(Client c, int maxRequestBytes) {
            int receiveLimit = maxRequestBytes + 512 * 1024;
            byte[] watch = WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder()
                    .setKey(ByteString.copyFrom(new byte[receiveLimit]))).build().toByteArray();
            lines.add("watch create over the receive limit: "
                    + c.stream("etcdserverpb.Watch/Watch", List.of(watch), false));
            byte[] keepAlive = new byte[receiveLimit + 10];
            keepAlive[0] = 0x08; // field 1 (ID), varint 0; then an unknown length-delimited field
            lines.add("keep-alive over the receive limit: "
                    + c.stream("etcdserverpb.Lease/LeaseKeepAlive", List.of(keepAlive), false));
        }

        /** Bytes that are not the method's request, each with the mistake it makes. */
        private void undecodable(Client c) throws Exception {
            String[][] cases = {
                    {"Put", "0a05"},                  // key: 5 bytes announced, none there
                    {"Put", "0a016b12"},              // value's length missing
                    {"Put", "0801"},                  // key as a varint
                    {"Put", "1801"},                  // lease as a varint: legal, the key is missing
                    {"Put", "0000"},                  // tag 0
                    {"Put", "0f"},                    // key with wire type 7
                    {"Put", "0affffffffffffffffff01"}, // a length over 2^63
                    {"Put", "0affffffff0f"},          // a length protobuf-java reads as -1, Go as 4294967295
                    {"Put", "ffffffffffffffffffffff"}, // a tag that overflows
                    {"Put", "a401"},                  // field 20 ends a group never started
                    {"Put", "a301"},                  // an unknown group never ended
                    {"Put", "a701"},                  // an unknown field of wire type 7
                    {"Txn", "120412020a05"},          // a txn's put whose key is cut short
                    {"Txn", "120412020801"},          // a txn's put whose key is a varint
                    {"Put", "0a80808080086b"},        // a length of 2^31
                    {"Put", "0a81808080106b"},        // a length of 2^32 + 1, which protobuf-java reads as 1
                    {"Range", "0a05"}};
            for (String[] k : cases) {
                lines.add(k[0] + " " + k[1] + ": " + c.unary("etcdserverpb.KV/" + k[0], hex(k[1]), CallOptions.DEFAULT));
            }
            // the health service's messages are golang/protobuf's, not gogoproto's
            for (String hex : List.of("0a05", "0801", "0000", "0f", "ffffffffffffffffffffff", "a401", "a701", "0a01ff")) {
                lines.add("Health/Check " + hex + ": " + c.unary("grpc.health.v1.Health/Check", hex(hex), CallOptions.DEFAULT));
            }
            lines.add("watch 0a05: " + c.stream("etcdserverpb.Watch/Watch", List.of(hex("0a05")), false));
            lines.add("keep-alive 0a05: " + c.stream("etcdserverpb.Lease/LeaseKeepAlive", List.of(hex("0a05")), false));
            // a watch stream that fails on a later message ends, and its watcher goes with it
            try (Client.OpenStream watch = c.open("etcdserverpb.Watch/Watch")) {
                watch.send(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder()
                        .setKey(ByteString.copyFromUtf8("w"))).build().toByteArray());
                lines.add("watch created: " + describeWatch(watch.next()));
                watch.send(hex("0a05"));
                lines.add("then 0a05: " + watch.next());
            }
            lines.add("watchers left: " + watchersOnceNone());
        }

        /** etcd_debugging_mvcc_watcher_total from /metrics once it is 0, or its value after the wait (-1: absent). */
        private String watchersOnceNone() throws Exception {
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest get = HttpRequest.newBuilder(URI.create("http://" + endpoint + "/metrics"))
                    .build();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (true) {
                // a number either way: etcd writes "0", the Prometheus Java client "0.0"
                long value = http.send(get, HttpResponse.BodyHandlers.ofString()).body().lines()
                        .filter(l -> l.startsWith("etcd_debugging_mvcc_watcher_total "))
                        .mapToLong(l -> (long) Double.parseDouble(l.substring(l.indexOf(' ') + 1))).findFirst().orElse(-1);
                if (value == 0 || System.nanoTime() > deadline) {
                    return String.valueOf(value);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
        }

        private void unknownMethods(Client c) {
            for (String method : List.of("foo.Bar/Put", "etcdserverpb.KV/Nope", "etcdserverpb.kv/Put",
                    "grpc.health.v1.Health/Nope", "etcdserverpb.Watch/Put", "v3lockpb.Lock/Nope")) {
                lines.add(method + ": " + c.unary(method, hex("0a016b"), CallOptions.DEFAULT));
            }
            lines.add("stream to foo.Bar/Watch: " + c.stream("foo.Bar/Watch", List.of(hex("0a016b")), true));
        }

        private void compression(Client c) {
            byte[] put = PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("z")).build().toByteArray();
            for (String encoding : List.of("gzip", "snappy")) {
                lines.add("put with " + encoding + ": "
                        + c.unary("etcdserverpb.KV/Put", put, CallOptions.DEFAULT.withCompression(encoding)));
            }
            lines.add("watch with gzip: " + c.stream("etcdserverpb.Watch/Watch", List.of(put), false, "gzip"));
            lines.add("unknown method with gzip: "
                    + c.unary("etcdserverpb.KV/Nope", put, CallOptions.DEFAULT.withCompression("gzip")));
        }

        /**
         * A watch whose client half-closed keeps delivering events (etcd stops reading, not
         * writing); a keep-alive stream answers what it got and ends OK.
         */
        private void halfClosedStreams(Client c) throws Exception {
            byte[] create = WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder()
                    .setKey(ByteString.copyFromUtf8("half"))).build().toByteArray();
            try (Client.OpenStream watch = c.open("etcdserverpb.Watch/Watch")) {
                watch.send(create);
                watch.halfClose();
                lines.add("half-closed watch, first answer: " + describeWatch(watch.next()));
                c.unary("etcdserverpb.KV/Put", PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("half"))
                        .build().toByteArray(), CallOptions.DEFAULT);
                lines.add("half-closed watch after a put: " + describeWatch(watch.next()));
            }
            LeaseGrantResponse lease = LeaseGrantResponse.parseFrom(c.unaryBytes("etcdserverpb.Lease/LeaseGrant",
                    LeaseGrantRequest.newBuilder().setTTL(60).build().toByteArray()));
            lines.add("half-closed keep-alive: " + c.stream("etcdserverpb.Lease/LeaseKeepAlive",
                    List.of(LeaseKeepAliveRequest.newBuilder().setID(lease.getID()).build().toByteArray()), true));
        }

        private static String describeWatch(Object next) throws IOException {
            if (!(next instanceof byte[] bytes)) {
                return String.valueOf(next);
            }
            WatchResponse r = WatchResponse.parseFrom(bytes);
            return "created=" + r.getCreated() + " events=" + r.getEventsCount()
                    + (r.getEventsCount() > 0 ? " key=" + r.getEvents(0).getKv().getKey().toStringUtf8() : "");
        }

        /** A put request whose encoding is exactly {@code size} bytes. */
        private static byte[] putOfSize(int size) {
            int value = size - 4;
            while (true) {
                byte[] b = PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("k"))
                        .setValue(ByteString.copyFrom(new byte[value])).build().toByteArray();
                if (b.length == size) {
                    return b;
                }
                value -= b.length - size;
            }
        }

        private static String relative(int size, int maxRequestBytes, int receiveLimit) {
            return size <= maxRequestBytes ? "max-request-bytes" + (size - maxRequestBytes)
                    : size <= receiveLimit ? "receive limit" + (size - receiveLimit)
                    : "receive limit+" + (size - receiveLimit);
        }
    }

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    /** grpc-java with pass-through marshallers: sends any bytes to any method name. */
    static final class Client implements AutoCloseable {
        private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
            @Override
            public InputStream stream(byte[] value) {
                return new ByteArrayInputStream(value);
            }

            @Override
            public byte[] parse(InputStream stream) {
                try {
                    return stream.readAllBytes();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };

        /** An encoding no server knows: the bytes unchanged, but flagged as compressed with "snappy". */
        private static final Codec SNAPPY = new Codec() {
            @Override
            public String getMessageEncoding() {
                return "snappy";
            }

            @Override
            public OutputStream compress(OutputStream os) {
                return os;
            }

            @Override
            public InputStream decompress(InputStream is) {
                return is;
            }
        };

        private final ManagedChannel channel;

        Client(String endpoint) {
            CompressorRegistry compressors = CompressorRegistry.newEmptyInstance();
            compressors.register(Codec.Identity.NONE);
            compressors.register(new Codec.Gzip());
            compressors.register(SNAPPY);
            channel = NettyChannelBuilder.forTarget(endpoint).usePlaintext().compressorRegistry(compressors)
                    .maxInboundMessageSize(Integer.MAX_VALUE).build();
        }

        private static MethodDescriptor<byte[], byte[]> method(String name, MethodDescriptor.MethodType type) {
            return MethodDescriptor.<byte[], byte[]>newBuilder().setType(type).setFullMethodName(name)
                    .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();
        }

        /** "OK" or "CODE: description" of one unary call. */
        String unary(String name, byte[] request, CallOptions options) {
            try {
                ClientCalls.blockingUnaryCall(channel, method(name, MethodDescriptor.MethodType.UNARY),
                        options.withDeadlineAfter(WAIT_SECONDS, TimeUnit.SECONDS), request);
                return "OK";
            } catch (StatusRuntimeException e) {
                return describe(e.getStatus());
            }
        }

        byte[] unaryBytes(String name, byte[] request) {
            return ClientCalls.blockingUnaryCall(channel, method(name, MethodDescriptor.MethodType.UNARY),
                    CallOptions.DEFAULT.withDeadlineAfter(WAIT_SECONDS, TimeUnit.SECONDS), request);
        }

        String stream(String name, List<byte[]> requests, boolean halfClose) {
            return stream(name, requests, halfClose, null);
        }

        /**
         * Sends {@code requests} on a new bidirectional stream (then half-closes if asked) and
         * describes how it ended: the number of answers it delivered and its status. A stream
         * still open after the wait is cancelled and described as "still open".
         */
        String stream(String name, List<byte[]> requests, boolean halfClose, String compression) {
            try (OpenStream s = open(name, compression)) {
                requests.forEach(s::send);
                if (halfClose) {
                    s.halfClose();
                }
                int answers = 0;
                while (true) {
                    Object next = s.next();
                    if (next instanceof byte[]) {
                        answers++;
                        continue;
                    }
                    return answers + " answers, then " + next;
                }
            }
        }

        OpenStream open(String name) {
            return open(name, null);
        }

        OpenStream open(String name, String compression) {
            CallOptions options = compression == null ? CallOptions.DEFAULT : CallOptions.DEFAULT.withCompression(compression);
            return new OpenStream(channel.newCall(method(name, MethodDescriptor.MethodType.BIDI_STREAMING), options));
        }

        @Override
        public void close() {
            channel.shutdownNow();
        }

        /** One bidirectional stream; {@link #next} gives each answer's bytes, then the closing status's text. */
        static final class OpenStream implements AutoCloseable {
            private final ClientCall<byte[], byte[]> call;
            private final LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
            private final CompletableFuture<Status> closed = new CompletableFuture<>();

            OpenStream(ClientCall<byte[], byte[]> call) {
                this.call = call;
                call.start(new ClientCall.Listener<>() {
                    @Override
                    public void onMessage(byte[] message) {
                        events.add(message);
                        call.request(1);
                    }

                    @Override
                    public void onClose(Status status, Metadata trailers) {
                        closed.complete(status);
                        events.add(describe(status));
                    }
                }, new Metadata());
                call.request(1);
            }

            void send(byte[] message) {
                call.sendMessage(message);
            }

            void halfClose() {
                call.halfClose();
            }

            /** The next answer (bytes), the closing status's text, or "still open" after the wait. */
            Object next() {
                try {
                    Object next = events.poll(WAIT_SECONDS, TimeUnit.SECONDS);
                    return next == null ? "still open" : next;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return "interrupted";
                }
            }

            @Override
            public void close() {
                if (!closed.isDone()) {
                    call.cancel("done", null);
                }
            }
        }

        /** The code and description; grpc-go sends an empty grpc-message with OK, grpc-java none. */
        static String describe(Status s) {
            String d = s.getDescription();
            return s.getCode() + (d == null || d.isEmpty() ? "" : ": " + d);
        }
    }
}
