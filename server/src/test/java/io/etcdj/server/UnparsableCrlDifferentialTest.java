package io.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.google.gson.JsonParser;
import io.etcdj.server.config.TransportSecurity;
import io.etcdj.server.gateway.ReferenceEtcd;
import io.etcdj.server.tls.OpenSslPki;
import io.etcdj.testsupport.Await;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A --client-crl-file that does not parse, against the reference etcd 3.4.23 and one member of
 * ours with the same certificates and flags (an https client URL, --client-cert-auth): an empty
 * file, text, a PEM certificate, and a sound list with bytes after it. etcd starts all the same
 * and reads the file at each connection, so one server of each serves every case, the file
 * rewritten in between: a client with a certificate completes its handshake and is closed
 * unanswered (curl's words), and the "rejected connection" warning gives Go's reason.
 */
class UnparsableCrlDifferentialTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path root;

    @RegisterExtension
    final CapturedLogs logs = new CapturedLogs();

    private OpenSslPki pki;
    private Path[] alice;
    private Path crl;
    private Map<String, byte[]> contents;

    @Test
    void anUnparsableListRefusesEveryClientCertificateInGosWords() throws Exception {
        pki = new OpenSslPki(root.resolve("pki"), "ca");
        Path[] member = pki.leaf("member", "etcd");
        alice = pki.leaf("alice", "alice");
        byte[] soundList = pemBody(Files.readString(pki.crl()));
        contents = new LinkedHashMap<>();
        contents.put("empty", new byte[0]);
        contents.put("text", "not a revocation list\n".getBytes(StandardCharsets.US_ASCII));
        contents.put("a PEM certificate", Files.readAllBytes(alice[0]));
        byte[] trailing = Arrays.copyOf(soundList, soundList.length + 2);
        contents.put("a DER list and two bytes more", trailing);
        crl = root.resolve("client.crl");
        Files.write(crl, new byte[0]);

        List<String> reference = new ArrayList<>();
        String httpsUrl = "https://127.0.0.1:" + ReferenceEtcd.freePort();
        try (ReferenceEtcd etcd = new ReferenceEtcd(List.of(httpsUrl), "--logger=zap", "--log-outputs=stderr",
                "--cert-file=" + member[0], "--key-file=" + member[1], "--trusted-ca-file=" + pki.caCert,
                "--client-cert-auth", "--client-crl-file=" + crl)) {
            for (Map.Entry<String, byte[]> c : contents.entrySet()) {
                int before = rejections(etcd.log()).size();
                reference.add(c.getKey() + ": " + connect(httpsUrl, c.getValue()));
                Await.until(WAIT, "the reference's warning", () -> rejections(etcd.log()).size() > before);
                reference.add("  warning: " + rejections(etcd.log()).get(before));
            }
        }
        System.out.println("reference etcd's transcript:\n" + String.join("\n", reference));

        Files.write(crl, new byte[0]);
        TransportSecurity tls = new TransportSecurity(member[0].toString(), member[1].toString(), "", "",
                pki.caCert.toString(), true, "", List.of(), List.of(), false, false);
        List<String> ours = new ArrayList<>();
        Set<ILoggingEvent> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        try (EtcdCluster c = EtcdCluster.start(root.resolve("ours"), 1, 10_000, 5_000,
                s -> s.withSecurity(tls.withCrlFile(crl.toString()), tls), "https")) {
            c.awaitLeader(WAIT);
            String url = c.member(0).settings().listenClientUrls().get(0);
            for (Map.Entry<String, byte[]> e : contents.entrySet()) {
                ours.add(e.getKey() + ": " + connect(url, e.getValue()));
                ILoggingEvent warning = logs.await(WAIT, "our warning", w -> !seen.contains(w)
                        && w.getFormattedMessage().equals("rejected connection"));
                seen.add(warning);
                ours.add("  warning: " + CapturedLogs.fields(warning).get("error"));
            }
        }
        assertThat(String.join("\n", ours)).isEqualTo(String.join("\n", reference));
    }

    /** Rewrites the list with {@code content}, then asks /health with alice's certificate: curl's outcome. */
    private String connect(String url, byte[] content) throws Exception {
        Path tmp = crl.resolveSibling("client.crl.new");
        Files.write(tmp, content);
        Files.move(tmp, crl, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Process p = new ProcessBuilder("curl", "-sS", "--http1.1", "--max-time", "10", "--cacert", pki.caCert.toString(),
                "--cert", alice[0].toString(), "--key", alice[1].toString(), url + "/health")
                .redirectErrorStream(true).start();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("curl did not end within 20 s");
        }
        return "exit " + p.exitValue() + ": " + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    }

    /** The "error" field of each "rejected connection" warning in the reference's log, in order. */
    private static List<String> rejections(String log) {
        List<String> out = new ArrayList<>();
        for (String line : log.split("\n")) {
            if (line.contains("\"rejected connection\"")) {
                out.add(JsonParser.parseString(line).getAsJsonObject().get("error").getAsString());
            }
        }
        return out;
    }

    private static byte[] pemBody(String pem) {
        String body = pem.replaceAll("-----[^-]+-----", "").replaceAll("\\s", "");
        return Base64.getDecoder().decode(body);
    }
}
