package io.etcdj.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdj.server.tls.OpenSsl;
import io.etcdj.server.tls.PemFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --auth-token jwt with keys made by openssl as an operator makes them: etcd's claims, one
 * member's token accepted by another holding the same public key, and forged, foreign, expired
 * and malformed tokens refused; start-up refusals with etcd's words.
 */
class JwtTokensTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void keys() throws Exception {
        OpenSsl.run(dir, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "rsa.key");
        OpenSsl.run(dir, "pkey", "-in", "rsa.key", "-pubout", "-out", "rsa.pub");
        OpenSsl.run(dir, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "other.key");
        OpenSsl.run(dir, "pkey", "-in", "other.key", "-pubout", "-out", "other.pub");
        OpenSsl.run(dir, "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ec.key"); // SEC1
        OpenSsl.run(dir, "ec", "-in", "ec.key", "-pubout", "-out", "ec.pub");
    }

    static TokenProvider provider(String options) throws Exception {
        return AuthTokenSpec.provider("jwt," + options.replace("$", dir.toString()), Duration.ofMinutes(5));
    }

    static String claims(String token) {
        return new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
    }

    @Test
    void aTokenCarriesEtcdsClaimsAndAnotherMemberWithTheSameKeysAcceptsIt() throws Exception {
        for (String method : new String[] {"RS256", "RS512", "PS256", "PS384"}) {
            String spec = "pub-key=$/rsa.pub,priv-key=$/rsa.key,sign-method=" + method + ",ttl=5m";
            TokenProvider issuer = provider(spec);
            TokenProvider other = provider(spec);
            long before = Instant.now().getEpochSecond();
            String token = issuer.assign("ignored", 42, "alice", 7);
            assertThat(issuer.appliedIndexNeeded(token)).isZero();
            assertThat(other.caller(token, 99)).isEqualTo(new Caller("alice", 7));
            String header = new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]), StandardCharsets.UTF_8);
            assertThat(header).contains("\"alg\":\"" + method + "\"").contains("\"typ\":\"JWT\"");
            assertThat(claims(token)).contains("\"username\":\"alice\"").contains("\"revision\":7");
            long exp = Long.parseLong(claims(token).replaceAll(".*\"exp\":(\\d+).*", "$1"));
            assertThat(exp).isBetween(before + 300, Instant.now().getEpochSecond() + 300);
        }
    }

    @Test
    void ecKeysInSec1FormSignEs256AndThePublicKeyIsDerivedWhenOnlyThePrivateKeyIsGiven() throws Exception {
        TokenProvider both = provider("pub-key=$/ec.pub,priv-key=$/ec.key,sign-method=ES256");
        TokenProvider privateOnly = provider("priv-key=$/ec.key,sign-method=ES256");
        TokenProvider rsaPrivateOnly = provider("priv-key=$/rsa.key,sign-method=RS256");
        assertThat(privateOnly.caller(both.assign("", 1, "bob", 3), 0)).isEqualTo(new Caller("bob", 3));
        assertThat(both.caller(privateOnly.assign("", 1, "bob", 3), 0)).isEqualTo(new Caller("bob", 3));
        assertThat(rsaPrivateOnly.caller(rsaPrivateOnly.assign("", 1, "c", 1), 0)).isEqualTo(new Caller("c", 1));
    }

    @Test
    void aMemberWithOnlyThePublicKeyVerifiesButCannotIssue() throws Exception {
        TokenProvider issuer = provider("pub-key=$/rsa.pub,priv-key=$/rsa.key,sign-method=RS256");
        TokenProvider verifier = provider("pub-key=$/rsa.pub,sign-method=RS256");
        assertThat(verifier.caller(issuer.assign("", 1, "alice", 2), 0)).isEqualTo(new Caller("alice", 2));
        assertThatThrownBy(() -> verifier.assign("", 1, "alice", 2))
                .hasMessage("auth: token signing attempted with verify-only key");
    }

    @Test
    void forgedForeignMalformedAndOtherAlgorithmTokensAreRefused() throws Exception {
        TokenProvider member = provider("pub-key=$/rsa.pub,priv-key=$/rsa.key,sign-method=RS256");
        TokenProvider stranger = provider("pub-key=$/other.pub,priv-key=$/other.key,sign-method=RS256");
        TokenProvider ps = provider("pub-key=$/rsa.pub,priv-key=$/rsa.key,sign-method=PS256");
        String good = member.assign("", 1, "alice", 2);
        String[] parts = good.split("\\.");
        String rootClaims = Base64.getUrlEncoder().withoutPadding().encodeToString(
                claims(good).replace("alice", "root").getBytes(StandardCharsets.UTF_8));
        assertThat(member.caller(parts[0] + "." + rootClaims + "." + parts[2], 0)).as("forged claims").isNull();
        assertThat(member.caller(stranger.assign("", 1, "root", 2), 0)).as("another key").isNull();
        assertThat(member.caller(ps.assign("", 1, "root", 2), 0)).as("same key, another algorithm").isNull();
        String none = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "." + rootClaims + ".";
        assertThat(member.caller(none, 0)).as("unsigned").isNull();
        for (String junk : new String[] {"garbage", "abc.def.ghi", "a.b", "...", "x.y.z.w", "eyJ.eyJ.AAAA"}) {
            assertThat(member.caller(junk, 0)).as(junk).isNull();
        }
        assertThat(member.appliedIndexNeeded("simpletoken.12")).isEqualTo(-1);
    }

    @Test
    void aTokenIsRefusedOnceItsExpiryHasPassed() throws Exception {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
        JwtTokens tokens = JwtTokens.asymmetric(JwtTokens.Method.ES256, PemFiles.publicKey(dir.resolve("ec.pub")),
                PemFiles.privateKey(dir.resolve("ec.key")), Duration.ofSeconds(10), now::get);
        String token = tokens.assign("", 1, "alice", 1);
        now.set(now.get().plusSeconds(9));
        assertThat(tokens.caller(token, 0)).isEqualTo(new Caller("alice", 1));
        now.set(now.get().plusSeconds(1));
        assertThat(tokens.caller(token, 0)).isNull();
    }

    @Test
    void badOptionsStopStartUpWithEtcdsWords() throws Exception {
        String keys = "pub-key=$/rsa.pub,priv-key=$/rsa.key";
        for (String bad : new String[] {keys + ",sign-method=RS999", keys, "pub-key=$/rsa.pub",
                "pub-key=/nonexistent,priv-key=$/rsa.key,sign-method=RS256", "foo", keys + ",sign-method=RS256,ttl=abc",
                keys + ",sign-method=RS256,sign-method=RS384", keys + ",sign-method=rs256"}) {
            assertThatThrownBy(() -> provider(bad)).as(bad).isInstanceOf(AuthTokenSpec.InvalidAuthToken.class)
                    .hasMessage("auth: invalid auth options");
        }
        assertThatThrownBy(() -> AuthTokenSpec.provider("bogus", Duration.ofMinutes(5)))
                .hasMessage("auth: invalid auth options");
        assertThatThrownBy(() -> provider("sign-method=RS256")).hasMessage("auth: missing key data");
        assertThatThrownBy(() -> provider("pub-key=$/ec.pub,priv-key=$/ec.key,sign-method=RS256"))
                .hasMessageStartingWith("auth: cannot use the keys for sign-method RS256");
        assertThatThrownBy(() -> provider("pub-key=$/other.pub,priv-key=$/rsa.key,sign-method=RS256"))
                .hasMessageContaining("public and private keys don't match");
        assertThat(provider(keys + ",sign-method=RS256,unknown=ignored")).isInstanceOf(JwtTokens.class);
        assertThat(AuthTokenSpec.provider("simple", Duration.ofMinutes(5))).isInstanceOf(SimpleTokens.class);
        assertThat(Files.readString(dir.resolve("rsa.key"))).startsWith("-----BEGIN PRIVATE KEY-----");
    }
}
