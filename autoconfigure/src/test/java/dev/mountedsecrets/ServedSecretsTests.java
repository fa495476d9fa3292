package dev.mountedsecrets;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The registry of served values: exact and embedded matches, every encoded form, any type,
 * masking inside texts, and the automaton against a plain search.
 */
class ServedSecretsTests {

	private static final String SECRET = "Served-Secret/+=x9";

	@Test
	void showsWhenValueEqualsOrEmbedsSecretInAnyFormReturnsTrue() {
		ServedSecrets served = served(SECRET, "short");
		byte[] bytes = SECRET.getBytes(StandardCharsets.UTF_8);
		assertThat(served.shows(SECRET)).isTrue();
		assertThat(served.shows("short")).isTrue();
		assertThat(served.shows("redis://:" + SECRET + "@host")).isTrue();
		assertThat(served.shows("x" + Base64.getEncoder().encodeToString(bytes) + "x")).isTrue();
		assertThat(served.shows("x" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes))).isTrue();
		assertThat(served.shows("p=" + URLEncoder.encode(SECRET, StandardCharsets.UTF_8))).isTrue();
		assertThat(served.shows("0x" + HexFormat.of().formatHex(bytes))).isTrue();
		assertThat(served.shows("a short text")).as("short secrets only match whole values").isFalse();
		assertThat(served.shows("ordinary")).isFalse();
		assertThat(served.shows(null)).isFalse();
	}

	@Test
	void showsWhenValueOfAnyTypeHoldsSecretReturnsTrue() {
		ServedSecrets served = served("90817263", "Char-Array-Secret");
		assertThat(served.shows(90817263)).isTrue();
		assertThat(served.shows(90817263L)).isTrue();
		assertThat(served.shows("Char-Array-Secret".toCharArray())).isTrue();
		assertThat(served.shows("Char-Array-Secret".getBytes(StandardCharsets.UTF_8))).isTrue();
		assertThat(served.shows(List.of("a", List.of("Char-Array-Secret")))).isTrue();
		assertThat(served.shows(Map.of("k", 90817263))).isTrue();
		assertThat(served.shows(new Object[] { 1, new StringBuilder("Char-Array-Secret") })).isTrue();
		assertThat(served.shows(12345)).isFalse();
		assertThat(served.shows(List.of("a", "b"))).isFalse();
	}

	@Test
	void maskWhenTextEmbedsSecretsReplacesEachOccurrence() {
		ServedSecrets served = served(SECRET, "Other-Secret-1234");
		String text = "a=" + SECRET + ", b=" + SECRET + "Other-Secret-1234, c=plain";
		assertThat(served.mask(text)).isEqualTo("a=******, b=******, c=plain");
		assertThat(served.mask("plain")).isEqualTo("plain");
		assertThat(served.mask(SECRET)).isEqualTo("******");
	}

	@Test
	void recordWhenRotatedKeepsEveryValueServed() {
		ServedSecrets served = served("First-Value-1111");
		served.record(List.of("Second-Value-2222"));
		assertThat(served.size()).isEqualTo(2);
		assertThat(served.shows("First-Value-1111")).isTrue();
		assertThat(served.shows("Second-Value-2222")).isTrue();
		assertThat(served.toString()).doesNotContain("Value");
	}

	@Test
	void maskWhenManyOverlappingSecretsMatchesPlainSearch() {
		Random random = new Random(7);
		for (int round = 0; round < 200; round++) {
			List<String> secrets = new java.util.ArrayList<>();
			for (int i = 0; i < 5; i++) {
				secrets.add(randomText(random, 8 + random.nextInt(4)));
			}
			ServedSecrets served = new ServedSecrets();
			served.record(secrets);
			String text = randomText(random, 10) + secrets.get(random.nextInt(5)) + randomText(random, 5)
					+ secrets.get(random.nextInt(5)).substring(0, 7);
			String masked = served.mask(text);
			for (String secret : secrets) {
				assertThat(masked).doesNotContain(secret);
			}
			assertThat(served.shows(text)).isTrue();
			assertThat(masked).contains("******");
		}
	}

	@Test
	void maskWhenElevenThousandValuesServedFindsEachInsideLongBody() {
		Random random = new Random(11);
		List<String> values = new java.util.ArrayList<>();
		for (int i = 0; i < 11_000; i++) {
			StringBuilder value = new StringBuilder();
			for (int c = 0; c < 16 + random.nextInt(49); c++) {
				value.append((char) ('!' + random.nextInt(94)));
			}
			values.add(value.toString());
		}
		ServedSecrets served = new ServedSecrets();
		served.record(values);
		StringBuilder body = new StringBuilder();
		for (String value : values) {
			body.append("{\"name\":\"x\",\"value\":\"").append(value).append("\"},");
		}
		String masked = served.mask(body.toString());
		assertThat(masked.split("\\*\\*\\*\\*\\*\\*", -1)).hasSize(values.size() + 1);
		for (int i = 0; i < values.size(); i += 97) {
			assertThat(served.shows("prefix " + values.get(i) + " suffix")).isTrue();
			assertThat(served.mask(values.get(i))).isEqualTo(ServedSecrets.MASK);
		}
		String clean = "{\"name\":\"x\",\"value\":\"nothing-served-here-at-all\"}".repeat(1000);
		assertThat(served.mask(clean)).isSameAs(clean);
	}

	private static String randomText(Random random, int length) {
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < length; i++) {
			text.append("ab".charAt(random.nextInt(2)));
		}
		return text.toString();
	}

	private static ServedSecrets served(String... values) {
		ServedSecrets served = new ServedSecrets();
		served.record(List.of(values));
		return served;
	}

}
