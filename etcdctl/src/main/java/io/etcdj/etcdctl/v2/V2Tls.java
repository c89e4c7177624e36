package io.etcdj.etcdctl.v2;

import io.etcdj.server.tls.PemFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS settings of v2 etcdctl's --ca-file, --cert-file and --key-file (etcd's TLSInfo): servers are
 * verified against the CA bundle when one is given (else the JVM's default roots); the client
 * presents the certificate and key when both are given. PEM files are read by the server's own reader.
 */
final class V2Tls {
    private V2Tls() {}

    /** Null when no TLS flag is set (the JVM's defaults then serve https endpoints). */
    static SSLContext of(String caFile, String certFile, String keyFile) throws IOException, GeneralSecurityException {
        if (caFile.isEmpty() && certFile.isEmpty() && keyFile.isEmpty()) {
            return null;
        }
        TrustManagerFactory tmf = null;
        if (!caFile.isEmpty()) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (X509Certificate c : PemFiles.certificates(Path.of(caFile))) {
                trust.setCertificateEntry("ca-" + i++, c);
            }
            tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
        }
        KeyManagerFactory kmf = null;
        if (!certFile.isEmpty() && !keyFile.isEmpty()) {
            KeyStore keys = KeyStore.getInstance(KeyStore.getDefaultType());
            keys.load(null, null);
            List<X509Certificate> chain = PemFiles.certificates(Path.of(certFile));
            keys.setKeyEntry("client", PemFiles.privateKey(Path.of(keyFile)), new char[0],
                    chain.toArray(new X509Certificate[0]));
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, new char[0]);
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
        return ctx;
    }
}
