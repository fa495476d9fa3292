package dev.mountedsecrets;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The forms in which a leaked secret is searched for in output and responses: as written,
 * upper- and lower-cased, Base64 (standard, unpadded, URL-safe), URL-encoded and hex.
 */
public final class LeakForms {

	private LeakForms() {
	}

	public static Set<String> of(String secret) {
		byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
		Set<String> forms = new LinkedHashSet<>();
		forms.add(secret);
		forms.add(secret.toUpperCase(Locale.ROOT));
		forms.add(secret.toLowerCase(Locale.ROOT));
		forms.add(Base64.getEncoder().encodeToString(bytes));
		forms.add(Base64.getEncoder().withoutPadding().encodeToString(bytes));
		forms.add(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
		forms.add(URLEncoder.encode(secret, StandardCharsets.UTF_8));
		forms.add(HexFormat.of().formatHex(bytes));
		forms.add(HexFormat.of().withUpperCase().formatHex(bytes));
		return forms;
	}

	public static void assertNoLeak(String where, String text, Iterable<String> secrets) {
		for (String secret : secrets) {
			for (String form : of(secret)) {
				assertThat(text).as("%s shows a secret (in one of its forms)", where).doesNotContain(form);
			}
		}
	}

}
