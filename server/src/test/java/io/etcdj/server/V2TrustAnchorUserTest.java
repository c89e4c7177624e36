package io.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.server.config.TransportSecurity;
import io.etcdj.server.tls.OpenSslPki;
import io.etcdj.server.tls.TlsMaterial;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With --client-cert-auth and v2 auth on, etcd 3.4 looks for the user of a request without
 * credentials in every certificate of the verified chain, the trusted root included: a CA whose
 * CN names a user speaks for every client it signed that names no user itself (checked by hand
 * against the reference etcd with openssl-made certificates: the same 201 and 401).
 */
class V2TrustAnchorUserTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path root;

    @Test
    void theTrustedCasCnNamesTheUserWhenTheClientsOwnCnDoesNot() throws Exception {
        OpenSslPki pki = new OpenSslPki(root.resolve("pki"), "teamca");
        Path[] member = pki.leaf("member", "etcd");
        TransportSecurity tls = new TransportSecurity(member[0].toString(), member[1].toString(), "", "",
                pki.caCert.toString(), true, "", List.of(), List.of(), false, false);
        Path[] nobody = pki.leaf("nobody", "nobody");
        TransportSecurity client = new TransportSecurity(nobody[0].toString(), nobody[1].toString(), "", "",
                pki.caCert.toString(), false, "", List.of(), List.of(), false, false);
        try (EtcdCluster c = EtcdCluster.start(root.resolve("cluster"), 1, 10_000, 5_000,
                s -> s.withSecurity(tls, tls).withEnableV2(true), "https")) {
            c.awaitLeader(WAIT);
            String url = c.member(0).settings().listenClientUrls().get(0);
            HttpClient https = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .sslContext(TlsMaterial.client(client, root.resolve("unused"), List.of()).sslContext()).build();
            assertThat(send(https, url, "/v2/auth/users/root", "{\"user\":\"root\",\"password\":\"pw\"}")).isEqualTo(201);
            assertThat(send(https, url, "/v2/auth/users/teamca", "{\"user\":\"teamca\",\"password\":\"pw\"}"))
                    .isEqualTo(201);
            send(https, url, "/v2/auth/roles/team",
                    "{\"role\":\"team\",\"permissions\":{\"kv\":{\"read\":[\"/team/*\"],\"write\":[\"/team/*\"]}}}");
            send(https, url, "/v2/auth/users/teamca", "{\"user\":\"teamca\",\"grant\":[\"team\"]}");
            send(https, url, "/v2/auth/roles/guest", "{\"role\":\"guest\",\"revoke\":{\"kv\":{\"read\":[\"/*\"],"
                    + "\"write\":[\"/*\"]}}}");
            assertThat(send(https, url, "/v2/auth/enable", "")).isEqualTo(200);

            assertThat(send(https, url, "/v2/keys/team/x", "value=1")).as("as teamca").isEqualTo(201);
            assertThat(send(https, url, "/v2/keys/other/x", "value=1")).as("teamca may not").isEqualTo(401);
        }
    }

    private static int send(HttpClient https, String url, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).timeout(WAIT)
                .PUT(HttpRequest.BodyPublishers.ofString(body));
        if (path.startsWith("/v2/keys")) {
            b.header("Content-Type", "application/x-www-form-urlencoded");
        }
        return https.send(b.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }
}
