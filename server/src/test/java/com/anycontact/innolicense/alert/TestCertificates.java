package com.anycontact.innolicense.alert;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A private certificate authority for tests, as a company runs one for its internal mail servers: it issues
 * server certificates for the names given, and makes the SSL contexts of a server presenting one and of a client
 * trusting the authority (and nothing else). Certificates are valid from a day ago for a day ahead.
 */
final class TestCertificates {

    private static final char[] PASSWORD = "test".toCharArray();
    private static final AtomicLong SERIALS = new AtomicLong(1);

    private final KeyPair authorityKeys;
    private final X509Certificate authority;

    private TestCertificates(KeyPair authorityKeys, X509Certificate authority) {
        this.authorityKeys = authorityKeys;
        this.authority = authority;
    }

    /** A new authority with a fresh key. */
    static TestCertificates newAuthority() throws GeneralSecurityException {
        KeyPair keys = keyPair();
        X500Name name = new X500Name("CN=innoACD test CA");
        X509v3CertificateBuilder builder = builder(name, name, keys);
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException(e);
        }
        return new TestCertificates(keys, sign(builder, keys));
    }

    /**
     * The SSL context of a server presenting a certificate issued by this authority for {@code hostName} (a DNS
     * name) and, when given, an IP address.
     */
    SSLContext serverContext(String hostName, String ipAddress) throws GeneralSecurityException {
        KeyPair keys = keyPair();
        X509v3CertificateBuilder builder = builder(new X500Name("CN=" + hostName), issuerName(), keys);
        try {
            GeneralNames names = ipAddress == null
                    ? new GeneralNames(new GeneralName(GeneralName.dNSName, hostName))
                    : new GeneralNames(new GeneralName[] {
                        new GeneralName(GeneralName.dNSName, hostName),
                        new GeneralName(GeneralName.iPAddress, address(ipAddress))
                    });
            builder.addExtension(Extension.subjectAlternativeName, false, names)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(
                            Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException(e);
        }
        X509Certificate certificate = sign(builder, authorityKeys);
        KeyStore store = emptyStore();
        store.setKeyEntry("server", keys.getPrivate(), PASSWORD, new Certificate[] {certificate, authority});
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(store, PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), null, null);
        return context;
    }

    /** The SSL context of a client that trusts this authority and no other. */
    SSLContext clientContext() throws GeneralSecurityException {
        KeyStore store = emptyStore();
        store.setCertificateEntry("authority", authority);
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trustManagers.getTrustManagers(), null);
        return context;
    }

    private X500Name issuerName() {
        return X500Name.getInstance(authority.getSubjectX500Principal().getEncoded());
    }

    private static X509v3CertificateBuilder builder(X500Name subject, X500Name issuer, KeyPair keys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(
                issuer,
                BigInteger.valueOf(SERIALS.getAndIncrement()),
                Date.from(now.minus(Duration.ofDays(1))),
                Date.from(now.plus(Duration.ofDays(1))),
                subject,
                keys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer)
            throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter()
                    .getCertificate(
                            builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        return generator.generateKeyPair();
    }

    private static KeyStore emptyStore() throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException(e);
        }
        return store;
    }

    private static String address(String ipAddress) throws GeneralSecurityException {
        try {
            return InetAddress.getByName(ipAddress).getHostAddress();
        } catch (UnknownHostException e) {
            throw new GeneralSecurityException(e);
        }
    }
}
