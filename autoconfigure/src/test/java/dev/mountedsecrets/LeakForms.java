package dev.mountedsecrets;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
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
		addConverted(secret, forms);
		return forms;
	}

	/**
	 * What a converter that fails on the secret quotes: trimmed, without white space (numbers),
	 * without a hex prefix after that ({@code Integer.decode}); when 10 characters or more.
	 */
	private static void addConverted(String secret, Set<String> forms) {
		StringBuilder compact = new StringBuilder();
		secret.codePoints().filter((c) -> !Character.isWhitespace(c)).forEach(compact::appendCodePoint);
		String unsigned = compact.toString().replaceFirst("^-", "");
		List<String> converted = new ArrayList<>(List.of(secret.trim(), compact.toString()));
		for (String prefix : List.of("0x", "0X", "#")) {
			if (unsigned.startsWith(prefix)) {
				converted.add(unsigned.substring(prefix.length()));
			}
		}
		converted.stream().filter((form) -> form.length() >= 10).forEach(forms::add);
	}

	public static void assertNoLeak(String where, String text, Iterable<String> secrets) {
		for (String secret : secrets) {
			for (String form : of(secret)) {
				assertThat(text).as("%s shows a secret (in one of its forms)", where).doesNotContain(form);
			}
		}
	}

}
