package io.etcdj.server.tls;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * This member's own certificate and key, read from --cert-file/--key-file (or their peer and
 * client forms) and re-read when either file changes, so a handshake after a rotation presents
 * the new certificate. The alias names the generation of the pair, so a TLS stack that caches key
 * material by alias still picks up the new one.
 */
final class ReloadingKeyManager extends X509ExtendedKeyManager {
    private static final String ALIAS = "member-";

    private record Pair(X509Certificate[] chain, PrivateKey key) {}

    private final ReloadingFiles<Pair> pair;

    ReloadingKeyManager(Path cert, Path key) throws IOException {
        pair = new ReloadingFiles<>(List.of(cert, key), () -> load(cert, key));
    }

    private static Pair load(Path certFile, Path keyFile) throws IOException {
        List<X509Certificate> chain = PemFiles.certificates(certFile);
        PrivateKey key = PemFiles.privateKey(keyFile);
        try { // the JDK checks that the key belongs to the certificate
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("member", key, new char[0], chain.toArray(X509Certificate[]::new));
            KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm()).init(ks, new char[0]);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use the key pair " + certFile + ", " + keyFile + ": " + e.getMessage(), e);
        }
        return new Pair(chain.toArray(X509Certificate[]::new), key);
    }

    /** The alias of the current pair when its key is of one of the types asked for, else null. */
    private String alias(String... keyTypes) {
        Pair current = pair.get(); // stat the files (and reload) before naming the generation
        String algorithm = current.key.getAlgorithm();
        for (String type : keyTypes) {
            if (type == null || type.equals(algorithm) || type.startsWith(algorithm + "_")) {
                return ALIAS + pair.generation();
            }
        }
        return null;
    }

    private String[] aliases(String keyType) {
        String a = alias(keyType);
        return a == null ? null : new String[] {a};
    }

    private Pair forAlias(String alias) {
        return alias != null && alias.startsWith(ALIAS) ? pair.get() : null;
    }

    @Override public String[] getClientAliases(String keyType, Principal[] issuers) { return aliases(keyType); }
    @Override public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) { return alias(keyType); }
    @Override public String[] getServerAliases(String keyType, Principal[] issuers) { return aliases(keyType); }
    @Override public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) { return alias(keyType); }
    @Override public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) { return alias(keyType); }
    @Override public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) { return alias(keyType); }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        Pair p = forAlias(alias);
        return p == null ? null : p.chain.clone();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        Pair p = forAlias(alias);
        return p == null ? null : p.key;
    }
}
