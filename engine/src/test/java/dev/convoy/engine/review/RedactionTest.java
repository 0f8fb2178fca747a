package dev.convoy.engine.review;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RedactionTest {
  @Test
  void secretDataIsHashedNeverShownAndDecodedDataHashesLikeStringData() {
    Map<String, Object> secret = new LinkedHashMap<>();
    secret.put("apiVersion", "v1");
    secret.put("kind", "Secret");
    secret.put(
        "metadata",
        Map.of(
            "name",
            "db",
            "annotations",
            Map.of(
                "kubectl.kubernetes.io/last-applied-configuration",
                "{\"data\":{\"password\":\"aHVudGVyMg==\"}}")));
    secret.put("data", Map.of("password", "aHVudGVyMg=="));
    secret.put("stringData", Map.of("password", "hunter2"));

    Map<String, Object> out = Redaction.object(secret);

    assertThat(out.toString()).doesNotContain("hunter2").doesNotContain("aHVudGVyMg==");
    Object data = ((Map<?, ?>) out.get("data")).get("password");
    assertThat(data).asString().matches("<hidden sha256:[0-9a-f]{8}>");
    assertThat(((Map<?, ?>) out.get("stringData")).get("password")).isEqualTo(data);
  }

  @Test
  void credentialNamedEnvironmentValuesAreHiddenOthersKept() {
    Map<String, Object> pod =
        Map.of(
            "kind",
            "Deployment",
            "env",
            List.of(
                Map.of("name", "DB_PASSWORD", "value", "s3cret"),
                Map.of("name", "LOG_LEVEL", "value", "debug")));

    String out = Redaction.object(new LinkedHashMap<>(pod)).toString();

    assertThat(out).doesNotContain("s3cret").contains("debug").contains("<hidden sha256:");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          https://ci:tok3nvalue@git.example.com/x.git       | tok3nvalue
          use ghp_abcdefghijklmnopqrstuvwxyz0123456789 here  | ghp_abcdefghijklmnopqrstuvwxyz0123456789
          AKIAABCDEFGHIJKLMNOP                               | AKIAABCDEFGHIJKLMNOP
          password=hunter2;user=x                            | hunter2
          Authorization: Bearer abcdefghijklmnop.qrs         | abcdefghijklmnop
          AUTHORIZATION: BEARER ABCDEFGHIJKLMNOP.QRS         | ABCDEFGHIJKLMNOP
          key ASIAABCDEFGHIJKLMNOP                           | ASIAABCDEFGHIJKLMNOP
          github_pat_ABCDEFGHIJKLMNOPQRSTUVWX                | github_pat_ABCDEFGHIJKLMNOPQRSTUVWX
          glpat-ABCDEFGHIJKLMNOPQRSTUV                       | glpat-ABCDEFGHIJKLMNOPQRSTUV
          xoxb-1234567890-abcdef                             | xoxb-1234567890-abcdef
          AIzaSyABCDEFGHIJKLMNOPQRSTUVWXYZ012345678          | AIzaSyABCDEFGHIJKLMNOPQRSTUVWXYZ012345678
          sk_live_ABCDEFGHIJKLMNOPQRST                       | sk_live_ABCDEFGHIJKLMNOPQRST
          eyJhbGciOiJI.eyJzdWIiOiIx.SflKxwRJSMeK             | eyJhbGciOiJI.eyJzdWIiOiIx.SflKxwRJSMeK
          -----BEGIN RSA PRIVATE KEY----- MIIEow           | MIIEow
          "Token": "abc123def"                               | abc123def
          CLIENT_SECRET=xyz789                               | xyz789
          """)
  void knownCredentialsInTextAreRedactedWithAHashPrefix(String text, String credential) {
    String out = Redaction.text(text);

    assertThat(out).doesNotContain(credential).contains("<redacted sha256:");
  }

  /** The cheap check that lets most scalars skip the patterns: it must pass every credential. */
  @ParameterizedTest
  @CsvSource({"image: envoyproxy/envoy:v1.31.0,false", "replicas,false", "a=b,false"})
  void textWithoutACredentialWordSkipsThePatterns(String text, boolean may) {
    assertThat(Redaction.mayHoldCredential(text)).isEqualTo(may);
  }

  @Test
  void ordinaryTextIsLeftAlone() {
    assertThat(Redaction.text("image ghcr.io/example/cart:3.2.0, secretName: cart-tls"))
        .isEqualTo("image ghcr.io/example/cart:3.2.0, secretName: cart-tls");
  }
}
