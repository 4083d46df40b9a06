// Verify a jpki-bridge login token (jpki-bridge:1) in Java with the JDK alone (Java 11 or later).
//
//   javac VerifyToken.java && java VerifyToken anchors.pem 2026-12-06T21:49:30Z 1.3.6.1.4.1.32473.8.5.1.30 < vectors.tsv
//
// verify() is the recipe. main() reads one vector per line on stdin — name, origin, nonce, format,
// algorithm, certificate (base64 DER), signature (base64), tab-separated — and prints
// "name<TAB>valid" or "name<TAB>invalid<TAB>reason". (The JDK has no JSON parser: the suite turns
// the verifier package's JSON vectors into these lines.)
// Production: trust the J-LIS roots and the JPKI authentication policy OID, not the development CA;
// check revocation with J-LIS's CRL; take the nonce from the session and accept it once.
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.FileInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import javax.crypto.Cipher;

public final class VerifyToken {
  static final String FORMAT = "jpki-bridge:1";
  static final String ALGORITHM = "RS256-JPKI-BLOCK";
  static final byte[] LABEL = "jpki-bridge/auth/1\0".getBytes(StandardCharsets.US_ASCII);

  /** The signed data: the label, then SHA-256(SHA-256(origin) || SHA-256(nonce)). */
  static byte[] authBlock(String origin, String nonce) throws GeneralSecurityException {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    byte[] joined = new byte[64];
    System.arraycopy(sha.digest(origin.getBytes(StandardCharsets.UTF_8)), 0, joined, 0, 32);
    System.arraycopy(sha.digest(nonce.getBytes(StandardCharsets.UTF_8)), 0, joined, 32, 32);
    byte[] block = Arrays.copyOf(LABEL, LABEL.length + 32);
    System.arraycopy(sha.digest(joined), 0, block, LABEL.length, 32);
    return block;
  }

  /** Throws with the reason unless the token is valid for this origin and nonce at `at`. */
  static void verify(String format, String algorithm, String certificateB64, String signatureB64, String origin, String nonce,
      List<X509Certificate> anchors, String authPolicyOid, Date at) throws Exception {
    if (!FORMAT.equals(format) || !ALGORITHM.equals(algorithm)) throw new Exception("unknown token format");
    X509Certificate leaf = (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(certificateB64)));
    boolean issued = false;
    for (X509Certificate anchor : anchors) { // names can repeat: the signature decides
      if (!anchor.getSubjectX500Principal().equals(leaf.getIssuerX500Principal())) continue;
      try { leaf.verify(anchor.getPublicKey()); issued = true; break; } catch (GeneralSecurityException e) { /* next */ }
    }
    if (!issued) throw new Exception("issuer is not trusted");
    try { leaf.checkValidity(at); } catch (GeneralSecurityException e) { throw new Exception("certificate not valid at this time"); }
    byte[] policies = leaf.getExtensionValue("2.5.29.32");
    if (policies == null || indexOf(policies, derOid(authPolicyOid)) < 0) throw new Exception("not an authentication certificate");
    // RSA PKCS#1 v1.5 without DigestInfo: "decrypting" with the public key recovers the signed bytes.
    byte[] recovered;
    try {
      Cipher rsa = Cipher.getInstance("RSA/ECB/PKCS1Padding");
      rsa.init(Cipher.DECRYPT_MODE, leaf.getPublicKey());
      recovered = rsa.doFinal(Base64.getDecoder().decode(signatureB64));
    } catch (GeneralSecurityException e) {
      throw new Exception("signature invalid");
    }
    if (!MessageDigest.isEqual(recovered, authBlock(origin, nonce))) throw new Exception("signature is not over this origin and nonce");
  }

  /** The OID as DER (tag, length, value): what the certificate-policies extension holds. */
  static byte[] derOid(String dotted) {
    String[] arcs = dotted.split("\\.");
    List<Byte> body = new ArrayList<>();
    body.add((byte) (Integer.parseInt(arcs[0]) * 40 + Integer.parseInt(arcs[1])));
    for (int i = 2; i < arcs.length; i++) {
      long arc = Long.parseLong(arcs[i]);
      List<Byte> bytes = new ArrayList<>();
      bytes.add(0, (byte) (arc & 0x7f));
      for (arc >>= 7; arc > 0; arc >>= 7) bytes.add(0, (byte) (0x80 | (arc & 0x7f)));
      body.addAll(bytes);
    }
    byte[] der = new byte[body.size() + 2];
    der[0] = 0x06;
    der[1] = (byte) body.size();
    for (int i = 0; i < body.size(); i++) der[i + 2] = body.get(i);
    return der;
  }

  static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
      return i;
    }
    return -1;
  }

  public static void main(String[] args) throws Exception {
    List<X509Certificate> anchors = new ArrayList<>();
    try (FileInputStream in = new FileInputStream(args[0])) {
      Collection<? extends java.security.cert.Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
      for (java.security.cert.Certificate c : certs) anchors.add((X509Certificate) c);
    }
    Date at = Date.from(Instant.parse(args[1]));
    BufferedReader lines = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = lines.readLine()) != null;) {
      if (line.isEmpty()) continue;
      String[] f = line.split("\t", -1);
      try {
        verify(f[3], f[4], f[5], f[6], f[1], f[2], anchors, args[2], at);
        System.out.println(f[0] + "\tvalid");
      } catch (Exception e) {
        System.out.println(f[0] + "\tinvalid\t" + e.getMessage());
      }
    }
  }
}
