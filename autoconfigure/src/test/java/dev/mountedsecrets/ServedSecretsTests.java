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
	void showsWhenLongTextFoundCleanThenHoldsANewlyServedValueReturnsTrue() {
		ServedSecrets served = served(SECRET);
		String later = "Served-Later-5d1e8c3b";
		String text = "/opt/app/lib/a.jar:".repeat(20) + later + ":/opt/app/lib/b.jar";
		assertThat(served.shows(text)).isFalse();
		assertThat(served.shows(text)).as("remembered clean").isFalse();
		assertThat(served.shows(new String(text))).as("an equal text").isFalse();
		served.record(List.of(later));
		assertThat(served.shows(text)).as("searched again for the new value").isTrue();
		assertThat(served.shows(text)).as("a text that shows a secret is never remembered clean").isTrue();
		String withSecret = text.replace(later, SECRET);
		assertThat(served.shows(withSecret)).isTrue();
		assertThat(served.shows(withSecret)).isTrue();
	}

	@Test
	void showsWhenShortTextFoundCleanThenServedOrEmbeddingANewValueReturnsTrue() {
		ServedSecrets served = served(SECRET);
		String later = "Served-Later-7a0c2e";
		String embedding = "jdbc:postgresql://db/app?password=" + later;
		String ordinary = "spring.datasource.url";
		for (String text : List.of(later, embedding, ordinary)) {
			assertThat(served.shows(text)).as(text).isFalse();
			assertThat(served.shows(text)).as("remembered clean: " + text).isFalse();
			assertThat(served.shows(new String(text))).as("an equal text: " + text).isFalse();
		}
		served.record(List.of(later));
		assertThat(served.shows(later)).as("equal to a value served since").isTrue();
		assertThat(served.shows(new String(later))).isTrue();
		assertThat(served.shows(embedding)).as("searched again for the new value").isTrue();
		assertThat(served.shows(embedding)).as("a text that shows a secret is never remembered clean").isTrue();
		assertThat(served.shows(ordinary)).isFalse();
	}

	@Test
	void showsWhenMoreShortTextsFoundCleanThanRememberedStillFindsEverySecret() {
		ServedSecrets served = served(SECRET);
		for (int i = 0; i < 50_000; i++) {
			assertThat(served.shows("ordinary.property." + i)).isFalse();
		}
		for (int i = 0; i < 50_000; i += 7) {
			assertThat(served.shows("ordinary.property." + i)).isFalse();
			assertThat(served.shows("x-" + SECRET + "-" + i)).isTrue();
		}
		assertThat(served.shows(SECRET)).isTrue();
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
	void isDistinctiveWhenShortOrOneKindOfCharacterIsFalse() {
		for (String ordinary : List.of("true", "hunter2", "springframework", "SPRINGFRAMEWORK", "12345678",
				"1234567890123456789", "--------", "        \t\n", " ".repeat(30), "s3cr3t")) {
			assertThat(ServedSecrets.isDistinctive(ordinary)).as(ordinary).isFalse();
		}
		for (String distinctive : List.of("Springframework", "hunter22x", "1234567a", "pass word", "\u79d8\u5bc6\u306e\u9375\u3067\u3059\u3088\u3002",
				"correcthorsebatterystaple", "12345678901234567890", "p\u00e4ssw\u00f6rt-1")) {
			assertThat(ServedSecrets.isDistinctive(distinctive)).as(distinctive).isTrue();
		}
	}

	@Test
	void maskWhenValueIsDistinctiveOnlyThroughMixedCaseLooksForItsFoldedFormsAsWholeValuesOnly() {
		ServedSecrets served = served("Postgres", "Password", "Mixed-Case-Secret-7q");
		assertThat(served.mask("jdbc:postgresql://db/app")).isEqualTo("jdbc:postgresql://db/app");
		assertThat(served.mask("spring.datasource.password")).isEqualTo("spring.datasource.password");
		assertThat(served.mask("password")).as("a map key equal to a folded form").isEqualTo("password");
		assertThat(served.mask("Password")).isEqualTo(ServedSecrets.MASK);
		assertThat(served.mask("level MIXED-CASE-SECRET-7Q unknown")).isEqualTo("level ****** unknown");
	}

	@Test
	void maskWhenServedValueIsOrdinaryMasksOnlyWholeValues() {
		ServedSecrets served = served("true", "springframework", "12345678", "Real-Secret-42x");
		assertThat(served.mask("org.springframework.boot")).isEqualTo("org.springframework.boot");
		assertThat(served.mask("trueish, true and 123456789")).isEqualTo("trueish, true and 123456789");
		assertThat(served.mask("springframework")).isEqualTo(ServedSecrets.MASK);
		assertThat(served.mask("true")).isEqualTo(ServedSecrets.MASK);
		assertThat(served.mask("c3ByaW5nZnJhbWV3b3Jr")).as("a whole value in another form").isEqualTo(ServedSecrets.MASK);
		assertThat(served.mask("url=https://x/?k=Real-Secret-42x&springframework")).isEqualTo("url=https://x/?k=******&springframework");
		assertThat(served.shows(Boolean.TRUE)).isFalse();
		assertThat(served.shows(12345678)).isTrue();
		assertThat(served.shows(123456789)).isFalse();
		assertThat(served.shows("a springframework bean")).isFalse();
		assertThat(served.shows("a Real-Secret-42x bean")).isTrue();
	}

	@Test
	void maskWhenAValueIsAnotherShortValuesEncodedFormSearchesForItInsideTexts() {
		for (List<String> order : List.of(List.of("hunter2", "aHVudGVyMg=="), List.of("aHVudGVyMg==", "hunter2"))) {
			ServedSecrets served = new ServedSecrets();
			order.forEach((value) -> served.record(List.of(value)));
			assertThat(served.mask("value of b is aHVudGVyMg== end")).as(order.toString())
				.isEqualTo("value of b is ****** end");
		}
	}

	@Test
	void maskWhenValueIsPercentEncodedByAnyCommonEncoderMasksIt() {
		ServedSecrets served = served("Ab/cd~ef=gh+12&Zz (x)");
		for (String encoded : List.of("Ab%2Fcd%7Eef%3Dgh%2B12%26Zz+%28x%29", "Ab%2Fcd~ef%3Dgh%2B12%26Zz%20%28x%29",
				"Ab%2fcd~ef%3dgh%2b12%26Zz%20%28x%29", "Ab%2Fcd~ef%3Dgh%2B12%26Zz%20(x)", "Ab%2fcd%7eef%3dgh%2b12%26Zz+%28x%29")) {
			assertThat(served.mask("GET /hook?token=" + encoded + "&next=1")).as(encoded)
				.isEqualTo("GET /hook?token=******&next=1");
		}
	}

	@Test
	void maskWhenAConverterQuotesTheValueReshapedMasksWhatItQuotes() {
		ServedSecrets served = served("correct horse battery staple 42", "#Xk9pLm2Qw7Rt", "-0xQw7RtXk9pLm2",
				" Padded-Enum-Value-77 ", "# 1");
		// NumberUtils.parseNumber removes white space, then Integer.decode drops a hex prefix
		assertThat(served.mask("For input string: \"correcthorsebatterystaple42\""))
			.isEqualTo("For input string: \"******\"");
		assertThat(served.mask("For input string: \"Xk9pLm2Qw7Rt\" under radix 16"))
			.isEqualTo("For input string: \"******\" under radix 16");
		assertThat(served.mask("For input string: \"-Qw7RtXk9pLm2\" under radix 16"))
			.isEqualTo("For input string: \"-******\" under radix 16");
		// the enum, UUID and charset converters trim it
		assertThat(served.mask("No enum constant com.example.Color.Padded-Enum-Value-77"))
			.isEqualTo("No enum constant com.example.Color.******");
		// a reshaped form that is not distinctive is not looked for: "1" stays
		assertThat(served.mask("1")).isEqualTo("1");
		assertThat(served.mask("#1")).isEqualTo("#1");
	}

	@Test
	void showsWhenANumberTypeHoldsTheValueInAnotherFormFindsIt() {
		ServedSecrets served = served("12345678.5", "00123456789", "987654321.125000");
		// as a double, a float, a long and a BigDecimal bound from them show them
		assertThat(served.shows(12345678.5d)).isTrue();
		assertThat(served.shows(12345678.5f)).isTrue();
		assertThat(served.shows(123456789L)).isTrue();
		assertThat(served.shows(new java.math.BigDecimal("987654321.125"))).isTrue();
		assertThat(served.mask("{\"v\":1.23456785E7}")).isEqualTo("{\"v\":******}");
		// other numbers stay
		assertThat(served.shows(12345679L)).isFalse();
		assertThat(served.shows(1.5d)).isFalse();
	}

	@Test
	void maskWhenValueIsCutIntoPiecesMasksEachDistinctivePieceOnly() {
		String pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj\n"
				+ "-----END PRIVATE KEY-----\n";
		ServedSecrets served = served("tokAlpha1X9q,tokBeta2Z8w", "1,2,ab", pem);
		assertThat(served.mask("parts [tokAlpha1X9q, tokBeta2Z8w]")).isEqualTo("parts [******, ******]");
		assertThat(served.mask("For input string: \"tokBeta2Z8w\"")).isEqualTo("For input string: \"******\"");
		assertThat(served.mask("1")).isEqualTo("1");
		assertThat(served.mask("ab")).isEqualTo("ab");
		assertThat(served.mask("Banner: -----BEGIN PRIVATE KEY-----")).isEqualTo("Banner: -----BEGIN PRIVATE KEY-----");
		assertThat(served.mask("  MIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n")).isEqualTo("  ******\n");
		assertThat(served.mask("-----END PRIVATE KEY-----")).isEqualTo("-----END PRIVATE KEY-----");
	}

	@Test
	void maskWhenValueEndsWithACommaOrMixesLinesAndCommasMasksEachElement() {
		ServedSecrets served = served("TrailSecret9!x,", "GammaKey-333x,\r\nDeltaKey-444y");
		assertThat(served.mask("first part is TrailSecret9!x ;")).isEqualTo("first part is ****** ;");
		assertThat(served.mask("arr0 GammaKey-333x ; next DeltaKey-444y")).isEqualTo("arr0 ****** ; next ******");
	}

	@Test
	void maskWhenPiecesStructureTheValueLeavesThemInOrdinaryText() {
		ServedSecrets served = served(
				"[default]\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG+bPxRfiCY\nregion=us-east-1\nregion = eu-west-1\n"
						+ "region=eu-central-1\naws_access_key_id=AKIAIOSFODNN7EXAMPLE\nhost=db-01.internal\n"
						+ "url=jdbc:postgresql://db:5432/app\nversion=spring-boot-3.5.7",
				"user=admin,pass=Qx7!kLm9zR2,host=db1,port=5432,url=jdbc:x,api_token=hunter2hunter2",
				"ap-southeast-2,9f86d081884c7d659a2feaa0c55ad015,us-gov-west-1,my-project-123456,"
						+ "123e4567-e89b-12d3-a456-426614174000");
		for (String ordinary : List.of("[default] profile region = eu-west-1 user", "region=us-east-1 or eu-west-1",
				"login user=admin failed", "port=5432", "host=db1", "S3 client in eu-central-1 and ap-southeast-2",
				"connecting to db-01.internal", "url jdbc:postgresql://db:5432/app", "Started on spring-boot-3.5.7",
				"us-gov-west-1", "project my-project-123456")) {
			assertThat(served.mask(ordinary)).isEqualTo(ordinary);
		}
		assertThat(served.mask("pass=Qx7!kLm9zR2")).isEqualTo("pass=******");
		assertThat(served.mask("key wJalrXUtnFEMI/K7MDENG+bPxRfiCY")).isEqualTo("key ******");
		assertThat(served.mask("id AKIAIOSFODNN7EXAMPLE, token hunter2hunter2"))
			.isEqualTo("id ******, token ******");
		assertThat(served.mask("digest 9f86d081884c7d659a2feaa0c55ad015")).isEqualTo("digest ******");
		assertThat(served.mask("key 123e4567-e89b-12d3-a456-426614174000 refused"))
			.isEqualTo("key ****** refused");
		// names, host names and the places a credential is kept are not masked for being in a secret file
		ServedSecrets files = served("{\"Version\":1,\"AccessKeyId\":\"ASIAX\",\"SecretAccessKey\":\"k\"}",
				"server: https://A95FBC9A4C4D2A2F7E2F3BD1E6B3C3D8.gr7.us-west-2.eks.amazonaws.com\nclient-key: "
						+ "/home/u/.minikube/client.key\ntoken: Zx81Kq2Lm7Pw0Rt5",
				"A=1\nGOOGLE_APPLICATION_CREDENTIALS=/var/secrets/google/key.json\npassword=${DB_PASSWORD}");
		for (String ordinary : List.of("field SecretAccessKey missing, AccessKeyId set",
				"GET https://A95FBC9A4C4D2A2F7E2F3BD1E6B3C3D8.gr7.us-west-2.eks.amazonaws.com/api",
				"loading /var/secrets/google/key.json", "key /home/u/.minikube/client.key", "left ${DB_PASSWORD}")) {
			assertThat(files.mask(ordinary)).isEqualTo(ordinary);
		}
		assertThat(files.mask("token Zx81Kq2Lm7Pw0Rt5")).isEqualTo("token ******");
		// what a name sets is a credential when the name's last word says so
		ServedSecrets oauth = served("client_id=my-app\ntoken_url=https://auth.example.com/oauth2/token\n"
				+ "auth_method=client_secret_basic\nkeystore_path=/etc/keys/app.p12\nclient_secret=Qx7kLm9zR2pW4t\n"
				+ "passphrase = correct horse battery staple\nsecretKey=hunter2-forever");
		for (String ordinary : List.of("POST https://auth.example.com/oauth2/token",
				"client-authentication-method=client_secret_basic", "keystore /etc/keys/app.p12")) {
			assertThat(oauth.mask(ordinary)).isEqualTo(ordinary);
		}
		assertThat(oauth.mask("secret Qx7kLm9zR2pW4t, phrase correct horse battery staple, key hunter2-forever"))
			.isEqualTo("secret ******, phrase ******, key ******");
	}

	@Test
	void maskWhenAWriterEscapesCharactersOfTheValueMasksWhatItWrites() {
		String slashInBase64 = "Slash?Secret?9Zq???";
		String base64 = Base64.getEncoder().withoutPadding().encodeToString(slashInBase64.getBytes(StandardCharsets.UTF_8));
		assertThat(base64).contains("/");
		ServedSecrets served = served("Zq8&vT3pLmW9xK2q", "wJalrXUtnFEMI/K7MDENG+bPxRfiCY", "It's<a>\"Key\"9x",
				"Sd\"Param\\Val]ue9Xy", slashInBase64);
		Map<String, String> written = Map.of(
				// Logback's HTMLLayout, Log4j2's %enc{}{HTML} and %enc{}{XML}, an XML writer that
				// leaves > and " as they are
				"bad Zq8&amp;vT3pLmW9xK2q", "bad ******", "k=wJalrXUtnFEMI&#x2F;K7MDENG+bPxRfiCY", "k=******",
				"<td>It&#39;s&lt;a&gt;&quot;Key&quot;9x</td>", "<td>******</td>",
				"x It&apos;s&lt;a>\"Key\"9x", "x ******", "x It&#x27;s&lt;a&gt;&quot;Key&quot;9x", "x ******",
				// RFC 5424 structured data, a CSV field
				"[sd p=\"Sd\\\"Param\\\\Val\\]ue9Xy\"]", "[sd p=\"******\"]", "\"Sd\"\"Param\\Val]ue9Xy\"", "\"******\"",
				// Logback's JsonEncoder writes / as \/ in a Base64 form too
				"b64 " + base64.replace("/", "\\/"), "b64 ******", "b64 " + base64.replace("/", "&#x2F;"), "b64 ******");
		written.forEach((text, masked) -> assertThat(served.mask(text)).as(text).isEqualTo(masked));
		// Log4j2's %enc{}{HTML} writes a line break as \n
		ServedSecrets lines = served("aB3dE/fG5hJ\nkL7mN8pQ9rS2tU");
		assertThat(lines.mask("k=aB3dE&#x2F;fG5hJ\\nkL7mN8pQ9rS2tU")).isEqualTo("k=******");
		// a writer no one listed (here one that writes / as \x2f) shows no long run of a value
		ServedSecrets runs = served("Xq7Lm2Np9Kt/Ry4Wz8Hs3Vb");
		assertThat(runs.mask("k=Xq7Lm2Np9Kt\\x2fRy4Wz8Hs3Vb")).isEqualTo("k=******\\x2f******");
	}

	@Test
	void maskWhenSpringShowsTheFirstHundredCharactersOfALongValueMasksThem() {
		String value = "u8jzPde0IgxLd6GncfB".repeat(8);
		ServedSecrets served = served(value);
		String shown = "for value [" + value.substring(0, 100) + " (truncated)...]";
		assertThat(served.mask(shown)).isEqualTo("for value [****** (truncated)...]");
	}

	@Test
	void maskWhenACharsetCannotEncodeTheValueMasksWhatItWrites() {
		ServedSecrets served = served("p\u00e4ssw\u00f6rd\u20ac\u00dcn\u00efcode-42", "\u79d8\u5bc6\u306e\u9375\u3067\u3059\u3088\u3002x1");
		assertThat(served.mask("mdc=p?ssw?rd??n?code-42 end")).isEqualTo("mdc=****** end");
		assertThat(served.mask("mdc=p\u00e4ssw\u00f6rd?\u00dcn\u00efcode-42 end")).isEqualTo("mdc=****** end");
		assertThat(served.mask("???????? x1")).as("too little of the value is kept to look for").isEqualTo("???????? x1");
	}

	@Test
	void maskWhenLongTextRememberedCleanAndThenValueServedMasksItThere() {
		ServedSecrets served = served("First-Secret-1a2b");
		String text = "x".repeat(300) + "Later-Secret-9z8y" + "y".repeat(300);
		assertThat(served.mask(text)).isSameAs(text);
		assertThat(served.mask(text)).isSameAs(text);
		served.record(List.of("Later-Secret-9z8y"));
		assertThat(served.mask(text)).isEqualTo("x".repeat(300) + ServedSecrets.MASK + "y".repeat(300));
	}

	@Test
	void maskWhenManyOverlappingSecretsMatchesPlainSearch() {
		Random random = new Random(7);
		for (int round = 0; round < 200; round++) {
			List<String> secrets = new java.util.ArrayList<>();
			for (int i = 0; i < 5; i++) {
				// a digit makes each one distinctive, so it is searched inside texts
				secrets.add(randomText(random, 7 + random.nextInt(4)) + "1");
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

	@Test
	void maskWithRecentLineWhenLineStartsLikeASecretThenHoldsItAtTheSamePlaceMasksIt() {
		ServedSecrets served = served("Secret-Value-7x9Q2");
		String prefix = "2026-12-07T10:00:00.000Z  INFO 1 --- [main] com.example.Service : key=";
		List<String> lines = List.of(prefix + "x".repeat(80) + " end\n",
				// the secret's first characters, in a line that differs from the last in many places
				prefix + "Secret-Valu" + "y".repeat(69) + " end\n",
				prefix + "Secret-Value-7x9Q2" + "y".repeat(62) + " end\n");
		for (boolean first : new boolean[] { true, false }) {
			RecentLine recent = new RecentLine();
			for (String line : lines.subList(first ? 1 : 0, 2)) {
				byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
				assertThat(served.mask(bytes, StandardCharsets.UTF_8, recent)).isSameAs(bytes);
			}
			byte[] whole = lines.get(2).getBytes(StandardCharsets.UTF_8);
			assertThat(new String(served.mask(whole, StandardCharsets.UTF_8, recent), StandardCharsets.UTF_8))
				.isEqualTo(prefix + ServedSecrets.MASK + "y".repeat(62) + " end\n");
		}
	}

	@Test
	void maskWithRecentLineWhenValueServedAfterALineLikeItWasFoundCleanMasksIt() {
		ServedSecrets served = served("First-Secret-1a2b");
		RecentLine recent = new RecentLine();
		byte[] line = "2026-12-07 INFO [main] rotated to Later-Secret-9z8y now\n".getBytes(StandardCharsets.UTF_8);
		assertThat(served.mask(line, StandardCharsets.UTF_8, recent)).isSameAs(line);
		assertThat(served.mask(line.clone(), StandardCharsets.UTF_8, recent)).isEqualTo(line);
		served.record(List.of("Later-Secret-9z8y"));
		assertThat(new String(served.mask(line.clone(), StandardCharsets.UTF_8, recent), StandardCharsets.UTF_8))
			.isEqualTo("2026-12-07 INFO [main] rotated to " + ServedSecrets.MASK + " now\n");
	}

	@Test
	void maskWithRecentLineWhenTheWritersArrayIsWrittenAgainMasksWhatItHoldsNow() {
		ServedSecrets served = served("Reused-Buffer-Secret-5d");
		RecentLine recent = new RecentLine();
		byte[] buffer = "INFO [main] value=xxxxxxxxxxxxxxxxxxxxxxx end\n".getBytes(StandardCharsets.UTF_8);
		assertThat(served.mask(buffer, StandardCharsets.UTF_8, recent)).isSameAs(buffer);
		byte[] secret = "Reused-Buffer-Secret-5d".getBytes(StandardCharsets.UTF_8);
		System.arraycopy(secret, 0, buffer, 18, secret.length);
		assertThat(new String(served.mask(buffer, StandardCharsets.UTF_8, recent), StandardCharsets.UTF_8))
			.isEqualTo("INFO [main] value=" + ServedSecrets.MASK + " end\n");
	}

	@Test
	void maskWithRecentLineWhenLineEqualsAValueOrIsNotAsciiMasksAsWithoutIt() {
		ServedSecrets served = served("springframework", "Geheim-W\u00f6rt-123");
		RecentLine recent = new RecentLine();
		byte[] clean = "INFO [main] nothing to see here at all\n".getBytes(StandardCharsets.UTF_8);
		assertThat(served.mask(clean, StandardCharsets.UTF_8, recent)).isSameAs(clean);
		byte[] whole = "springframework".getBytes(StandardCharsets.UTF_8);
		assertThat(served.mask(whole, StandardCharsets.UTF_8, recent)).isEqualTo(ServedSecrets.MASK.getBytes(StandardCharsets.UTF_8));
		for (java.nio.charset.Charset charset : List.of(StandardCharsets.UTF_8, StandardCharsets.UTF_16)) {
			byte[] line = "INFO [main] nothing Geheim-W\u00f6rt-123 at all\n".getBytes(charset);
			assertThat(new String(served.mask(line, charset, recent), charset))
				.isEqualTo("INFO [main] nothing " + ServedSecrets.MASK + " at all\n");
		}
	}

	@Test
	void maskWithRecentLineWhenLineIsLongerThanRememberedStillMasksTheNextOne() {
		ServedSecrets served = served("Long-Line-Secret-77aa");
		RecentLine recent = new RecentLine();
		String filler = "x".repeat(RecentLine.LONGEST);
		byte[] longLine = (filler + "\n").getBytes(StandardCharsets.UTF_8);
		assertThat(served.mask(longLine, StandardCharsets.UTF_8, recent)).isSameAs(longLine);
		assertThat(recent.get()).isNull();
		byte[] withSecret = (filler.substring(9) + "Long-Line-Secret-77aa\n").getBytes(StandardCharsets.UTF_8);
		assertThat(new String(served.mask(withSecret, StandardCharsets.UTF_8, recent), StandardCharsets.UTF_8))
			.endsWith(ServedSecrets.MASK + "\n");
	}

	/**
	 * Lines much like each other (a writer's log), with secrets, their forms and their first
	 * characters placed in stretches that change and stretches that do not: masked with the
	 * writer's last clean line exactly as without it, and a line that shows none is the same
	 * array.
	 */
	@Test
	void maskWithRecentLineMasksExactlyWhatMaskWithoutItMasks() {
		Random random = new Random(20261207);
		for (int round = 0; round < 300; round++) {
			List<String> values = new java.util.ArrayList<>();
			for (int i = 0; i < 1 + random.nextInt(4); i++) {
				values.add(randomLineText(random, 8 + random.nextInt(24)) + "1x");
			}
			ServedSecrets served = new ServedSecrets();
			served.record(values);
			RecentLine recent = new RecentLine();
			String[] fields = { randomLineText(random, 30), randomLineText(random, 12), randomLineText(random, 40) };
			int field = 0;
			int at = 0;
			String form = "";
			String shown = "";
			for (int line = 0; line < 60; line++) {
				int next = random.nextInt(6);
				if (next == 0) {
					// a field changes
					int changed = random.nextInt(fields.length);
					fields[changed] = randomLineText(random, fields[changed].length() + random.nextInt(5) - 2);
					field = Math.min(field, fields.length - 1);
					at = Math.min(at, fields[field].length());
				}
				else if (next == 1) {
					// a form of a secret at a new place: whole, its first characters (as many as
					// a window or more, or fewer), or all but its first ones
					String value = values.get(random.nextInt(values.size()));
					List<String> forms = new java.util.ArrayList<>(ServedSecrets.forms(value));
					form = forms.get(random.nextInt(forms.size()));
					field = random.nextInt(fields.length);
					at = random.nextInt(fields[field].length() + 1);
					int kind = random.nextInt(4);
					int cut = 1 + random.nextInt(3);
					shown = switch (kind) {
						case 0 -> form;
						case 1 -> form.substring(0, Math.min(form.length(), 8 + random.nextInt(4)));
						case 2 -> form.substring(0, 1 + random.nextInt(7));
						default -> "#".repeat(cut) + form.substring(cut);
					};
				}
				else if (next == 2) {
					// what was shown of it grows to the whole form, where it was
					shown = form;
				}
				else if (next == 3 && random.nextInt(8) == 0) {
					String later = randomLineText(random, 10) + "2y";
					served.record(List.of(later));
					values.add(later);
				}
				String[] written = fields.clone();
				written[field] = written[field].substring(0, at) + shown + written[field].substring(at);
				byte[] bytes = (String.join(" | ", written) + "\n").getBytes(StandardCharsets.UTF_8);
				byte[] expected = served.mask(bytes.clone(), StandardCharsets.UTF_8);
				byte[] masked = served.mask(bytes, StandardCharsets.UTF_8, recent);
				assertThat(new String(masked, StandardCharsets.UTF_8)).as("round %d line %d", round, line)
					.isEqualTo(new String(expected, StandardCharsets.UTF_8));
				if (java.util.Arrays.equals(expected, bytes)) {
					assertThat(masked).isSameAs(bytes);
				}
			}
		}
	}

	private static String randomLineText(Random random, int length) {
		// letters and digits the anchors hold, and separators that break a window
		String alphabet = "abcXYZ0123-_+/=%.: []";
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < Math.max(0, length); i++) {
			text.append(alphabet.charAt(random.nextInt(alphabet.length())));
		}
		return text.toString();
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

	/**
	 * The search for embedded values masks what a plain search for every occurrence of every
	 * form finds, over random texts with secrets of every length placed at every alignment
	 * (overlapping, adjacent, at both ends).
	 */
	@Test
	void urlEncodedIsWhatUrlEncoderGivesForEveryCharacter() {
		StringBuilder every = new StringBuilder();
		for (char c = 0; c < 0x100; c++) {
			every.append(c);
			String one = String.valueOf(c);
			assertThat(ServedSecrets.urlEncoded(one)).as("U+%04X", (int) c)
				.isEqualTo(URLEncoder.encode(one, StandardCharsets.UTF_8));
		}
		for (String value : List.of(every.toString(), "plain-Value_1.2*", "a b+c/d=e%f", "\u79d8\u5bc6-key",
				"Emoji-\ud83d\udd11-key", "")) {
			assertThat(ServedSecrets.urlEncoded(value)).isEqualTo(URLEncoder.encode(value, StandardCharsets.UTF_8));
		}
		String unchanged = "Only-Unreserved_chars.0123*";
		assertThat(ServedSecrets.urlEncoded(unchanged)).isSameAs(unchanged);
	}

	@Test
	void formsWhenValueNeedsNoJsonEscapeHaveNoJsonCopiesAndOtherwiseHaveEach() {
		assertThat(ServedSecrets.forms("Plain-Value-9f2c")).contains("Plain-Value-9f2c").noneMatch((form) -> form.contains("\\"));
		assertThat(ServedSecrets.forms("a/b+c=d")).contains("a/b+c=d", "a\\/b+c=d");
		assertThat(ServedSecrets.forms("q\"t\tx\u0001\u2028")).contains("q\\\"t\\tx\\u0001\\u2028");
		assertThat(ServedSecrets.forms("x\u00e9\u0085y")).contains("x\u00e9\\u0085y");
		assertThat(ServedSecrets.forms("hex\u009fend")).contains("hex\\u009fend", "hex\\u009Fend");
	}

	@Test
	void maskWhenSecretsAtAnyPositionMasksExactlyWhatAPlainSearchFinds() {
		java.util.Random random = new java.util.Random(20261129);
		for (int round = 0; round < 300; round++) {
			List<String> values = new java.util.ArrayList<>();
			for (int i = 0; i < 1 + random.nextInt(6); i++) {
				values.add(randomMixedText(random, 1 + random.nextInt(40)));
			}
			ServedSecrets served = new ServedSecrets();
			served.record(values);
			StringBuilder text = new StringBuilder();
			for (int i = 0; i < 12; i++) {
				text.append(randomMixedText(random, random.nextInt(9)));
				String value = values.get(random.nextInt(values.size()));
				List<String> forms = new java.util.ArrayList<>(ServedSecrets.forms(value));
				text.append(forms.get(random.nextInt(forms.size())));
			}
			String plain = plainMask(text.toString(), values);
			assertThat(served.mask(text.toString())).as("round %d", round).isEqualTo(plain);
			assertThat(served.shows(text.toString())).isEqualTo(!plain.equals(text.toString()) || values.contains(text.toString()));
		}
	}

	private static String randomMixedText(java.util.Random random, int length) {
		// characters beyond Latin-1 and characters with the same low byte (\u0129 and ')',
		// \u03a9 and '\u00a9'), which give the same anchor and are told apart by the verification
		String alphabet = "abcAB01+/=%-_x\u00e9\u00a9\u03a9)\u0129";
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < length; i++) {
			text.append(alphabet.charAt(random.nextInt(alphabet.length())));
		}
		return text.toString();
	}

	/** Every occurrence of every form of 8 characters or more of a distinctive value, merged. */
	private static String plainMask(String text, List<String> values) {
		boolean[] covered = new boolean[text.length()];
		boolean any = false;
		for (String value : values) {
			if (!ServedSecrets.isDistinctive(value)) {
				continue;
			}
			for (String form : ServedSecrets.forms(value)) {
				if (form.length() < ServedSecrets.MIN_EMBEDDED_LENGTH) {
					continue;
				}
				for (int at = text.indexOf(form); at >= 0; at = text.indexOf(form, at + 1)) {
					java.util.Arrays.fill(covered, at, at + form.length(), true);
					any = true;
				}
			}
		}
		if (!any) {
			return text;
		}
		StringBuilder masked = new StringBuilder();
		for (int i = 0; i < text.length(); i++) {
			if (!covered[i]) {
				masked.append(text.charAt(i));
			}
			else if (i == 0 || !covered[i - 1]) {
				masked.append(ServedSecrets.MASK);
			}
		}
		return masked.toString();
	}

}
