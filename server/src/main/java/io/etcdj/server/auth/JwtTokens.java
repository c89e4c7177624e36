package io.etcdj.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.function.Supplier;
import org.bouncycastle.jcajce.provider.asymmetric.util.EC5Util;

/**
 * etcd's JWT tokens (--auth-token jwt,...): a JWS signed with the configured method whose claims
 * are etcd's: "username", "revision" (the auth store's revision when it was issued) and "exp"
 * (Unix seconds, issue time + ttl). Nothing is kept: any member with the same public key accepts
 * a token another member issued. A token is refused when its signature does not verify with this
 * member's key, its header names another algorithm, it lacks a username or revision, or its
 * expiry has passed. A member given only the public key verifies tokens but cannot issue them.
 */
public final class JwtTokens implements TokenProvider {
    /** The sign methods etcd 3.4 accepts (jwt-go's names). */
    public enum Method {
        RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, HS256, HS384, HS512;

        /** The method of this name, or null (names are case-sensitive, as etcd's). */
        public static Method named(String name) {
            for (Method m : values()) {
                if (m.name().equals(name)) {
                    return m;
                }
            }
            return null;
        }

        boolean isHmac() {
            return name().startsWith("HS");
        }

        JWSAlgorithm algorithm() {
            return JWSAlgorithm.parse(name());
        }
    }

    private final Method method;
    /** Null: verify-only. */
    private final JWSSigner signer;
    private final JWSVerifier verifier;
    private final Duration ttl;
    private final Supplier<Instant> clock;

    private JwtTokens(Method method, JWSSigner signer, JWSVerifier verifier, Duration ttl, Supplier<Instant> clock) {
        this.method = method;
        this.signer = signer;
        this.verifier = verifier;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** RS*, PS* or ES* tokens; the public key is derived from the private one when not given. */
    public static JwtTokens asymmetric(Method method, PublicKey pub, PrivateKey priv, Duration ttl) {
        return asymmetric(method, pub, priv, ttl, Clock.systemUTC()::instant);
    }

    static JwtTokens asymmetric(Method method, PublicKey pub, PrivateKey priv, Duration ttl, Supplier<Instant> clock) {
        if (method.isHmac()) {
            throw new IllegalArgumentException("not an asymmetric method");
        }
        boolean ec = method.name().startsWith("ES");
        String family = ec ? "EC" : "RSA";
        for (Key k : new Key[] {pub, priv}) {
            if (k != null && !k.getAlgorithm().equals(family)) {
                throw new IllegalArgumentException(method + " needs " + family + " keys, not " + k.getAlgorithm());
            }
        }
        try {
            PublicKey verifyKey = pub != null ? pub : publicOf(priv);
            JWSSigner signer = priv == null ? null
                    : ec ? new ECDSASigner((ECPrivateKey) priv) : new RSASSASigner(priv);
            JWSVerifier verifier = ec ? new ECDSAVerifier((ECPublicKey) verifyKey)
                    : new RSASSAVerifier((RSAPublicKey) verifyKey);
            JwtTokens tokens = new JwtTokens(method, signer, verifier, ttl, clock);
            tokens.checkPair();
            return tokens;
        } catch (JOSEException | GeneralSecurityException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** HS* tokens with a shared secret (at least 256 bits). */
    public static JwtTokens hmac(Method method, byte[] secret, Duration ttl) {
        try {
            return new JwtTokens(method, new MACSigner(secret), new MACVerifier(secret), ttl, Clock.systemUTC()::instant);
        } catch (JOSEException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** Both keys given: they must belong together (etcd: "public and private keys don't match"). */
    private void checkPair() {
        if (signer != null && caller(sign("probe", 0, clock.get().plusSeconds(60)), 0) == null) {
            throw new IllegalArgumentException("public and private keys don't match");
        }
    }

    private static PublicKey publicOf(PrivateKey priv) throws GeneralSecurityException {
        if (priv == null) {
            throw new GeneralSecurityException("no key");
        }
        if (priv instanceof RSAPrivateCrtKey rsa) {
            return KeyFactory.getInstance("RSA").generatePublic(
                    new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
        }
        if (priv instanceof ECPrivateKey ecKey) {
            var spec = EC5Util.convertSpec(ecKey.getParams());
            var q = spec.getG().multiply(ecKey.getS()).normalize();
            return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(
                    new ECPoint(q.getAffineXCoord().toBigInteger(),
                            q.getAffineYCoord().toBigInteger()), ecKey.getParams()));
        }
        throw new GeneralSecurityException("cannot derive the public key of a " + priv.getAlgorithm() + " key");
    }

    @Override
    public String newPrefix() {
        return "";
    }

    @Override
    public String assign(String prefix, long index, String user, long authRevision) {
        if (signer == null) {
            throw new IllegalStateException("auth: token signing attempted with verify-only key");
        }
        return sign(user, authRevision, clock.get().plus(ttl));
    }

    private String sign(String user, long revision, Instant expiry) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .expirationTime(Date.from(Instant.ofEpochSecond(expiry.getEpochSecond())))
                .claim("revision", revision)
                .claim("username", user)
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(method.algorithm()).type(JOSEObjectType.JWT).build(),
                claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a token: " + e.getMessage(), e);
        }
        return jwt.serialize();
    }

    /** A JWT needs nothing applied: its claims say all. Three dot-separated parts or it is none. */
    @Override
    public long appliedIndexNeeded(String token) {
        return token.chars().filter(c -> c == '.').count() == 2 ? 0 : -1;
    }

    @Override
    public Caller caller(String token, long storeRevision) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!jwt.getHeader().getAlgorithm().equals(method.algorithm()) || !jwt.verify(verifier)) {
                return null;
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Date exp = claims.getExpirationTime();
            String user = claims.getStringClaim("username");
            Object revision = claims.getClaim("revision");
            if (exp == null || !clock.get().isBefore(exp.toInstant()) || user == null
                    || !(revision instanceof Number n)) {
                return null;
            }
            return new Caller(user, n instanceof BigInteger b ? b.longValue() : n.longValue());
        } catch (ParseException | JOSEException | RuntimeException e) {
            return null;
        }
    }

    /** Nothing is kept: a token stays valid until it expires (a changed auth store makes it "old"). */
    @Override
    public void invalidateUser(String user) { }

    @Override
    public void clear() { }
}
