package dev.mountedsecrets.logging;

import java.util.List;

import dev.mountedsecrets.LeakForms;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A secret with characters HTML, XML and JSON writers escape, between long runs of ordinary
 * ones, for the tests of layouts that escape what they write (on Logback and on Log4j2: no
 * type of either here).
 */
final class EscapedSecret {

	static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCY&Zq8vT3pLmW9xK2q<Qr>'Uv\"Wx";

	private EscapedSecret() {
	}

	/** No form of the secret, and none of its stretches of ten characters that no writer escapes. */
	static void assertNotShownIn(String written) {
		LeakForms.assertNoLeak("escaped", written, List.of(SECRET));
		for (int i = 0; i + 10 <= SECRET.length(); i++) {
			String stretch = SECRET.substring(i, i + 10);
			if (stretch.chars().noneMatch((c) -> "/&<>'\"".indexOf(c) >= 0)) {
				assertThat(written).as("a stretch of the secret").doesNotContain(stretch);
			}
		}
	}

}
