package dev.mountedsecrets;

import java.util.Collection;
import java.util.List;

/**
 * The forms a value takes when what writes a log line or a response escapes some of its
 * characters: a JSON string (Boot's structured formats, Logback's {@code JsonEncoder}, with or
 * without {@code \/}), HTML or XML text (Logback's {@code HTMLLayout}, Log4j2's {@code %enc},
 * {@code HtmlLayout} and {@code XmlLayout}: {@code &} and {@code <} always, each of
 * {@code >}, {@code "}, {@code '} and {@code /} as an entity or as it is, a line break as it
 * is or as {@code \n} and {@code \r}, as Log4j2's {@code %enc{}{HTML}} writes it), RFC 5424
 * structured data ({@code \"}, {@code \\}, {@code \]}) and a CSV field ({@code ""}). For any
 * other writer, the runs of characters it leaves as they are: each stretch between two
 * characters some writer escapes, when it reads like a token itself
 * ({@link ShownForms#looksLikeAToken}), so that a writer no one listed here shows no long
 * piece of a secret.
 */
final class WriterEscapes {

	/** How {@code '} is written in HTML or XML text: as it is, or as one of its entities. */
	private static final List<String> APOSTROPHES = List.of("'", "&#39;", "&apos;", "&#x27;");

	private WriterEscapes() {
	}

	/**
	 * Add the escaped forms of a value.
	 * @param value the value
	 * @param forms where they go
	 */
	static void addTo(String value, Collection<String> forms) {
		// a value a JSON writer leaves as it is has no other JSON form (most values: loading
		// 10,000 files paid for 40,000 copies equal to the value)
		for (boolean slash : new boolean[] { false, true }) {
			if (jsonEscapes(value, slash)) {
				forms.add(jsonEscaped(value, slash, "%04x"));
				forms.add(jsonEscaped(value, slash, "%04X"));
			}
		}
		if (hasAny(value, "&<>\"'/")) {
			addMarkupEscapes(value, forms);
		}
		if (hasAny(value, "\"\\]")) {
			forms.add(value.replace("\\", "\\\\").replace("\"", "\\\"").replace("]", "\\]"));
		}
		if (value.indexOf('"') >= 0) {
			forms.add(value.replace("\"", "\"\""));
		}
		addRuns(value, forms);
	}

	/**
	 * Add the forms of a Base64 text (which may hold {@code /}) as JSON and HTML writers that
	 * escape a slash write it.
	 * @param encoded the Base64 text
	 * @param forms where they go
	 */
	static void addSlashEscapes(String encoded, Collection<String> forms) {
		if (encoded.indexOf('/') >= 0) {
			forms.add(encoded.replace("/", "\\/"));
			forms.add(encoded.replace("/", "&#x2F;"));
		}
	}

	/** Each way of writing the value's characters that HTML and XML writers differ on; only those it has. */
	private static void addMarkupEscapes(String value, Collection<String> forms) {
		boolean[] lineBreaks = (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) ? new boolean[] { false, true }
				: new boolean[] { false };
		for (boolean greaterThan : choices(value, '>')) {
			for (boolean quote : choices(value, '"')) {
				for (String apostrophe : (value.indexOf('\'') >= 0) ? APOSTROPHES : List.of("'")) {
					for (boolean slash : choices(value, '/')) {
						for (boolean lineBreak : lineBreaks) {
							forms.add(markupEscaped(value, greaterThan, quote, apostrophe, slash, lineBreak));
						}
					}
				}
			}
		}
	}

	private static boolean[] choices(String value, char c) {
		return (value.indexOf(c) >= 0) ? new boolean[] { true, false } : new boolean[] { true };
	}

	private static String markupEscaped(String value, boolean greaterThan, boolean quote, String apostrophe,
			boolean slash, boolean lineBreak) {
		StringBuilder escaped = new StringBuilder(value.length() + 16);
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			switch (c) {
				case '&' -> escaped.append("&amp;");
				case '<' -> escaped.append("&lt;");
				case '>' -> escaped.append(greaterThan ? "&gt;" : ">");
				case '"' -> escaped.append(quote ? "&quot;" : "\"");
				case '\'' -> escaped.append(apostrophe);
				case '/' -> escaped.append(slash ? "&#x2F;" : "/");
				case '\n' -> escaped.append(lineBreak ? "\\n" : "\n");
				case '\r' -> escaped.append(lineBreak ? "\\r" : "\r");
				default -> escaped.append(c);
			}
		}
		return escaped.toString();
	}

	/** The stretches of a value between characters a writer may escape, that read like tokens. */
	private static void addRuns(String value, Collection<String> forms) {
		int start = 0;
		for (int i = 0; i <= value.length(); i++) {
			if (i == value.length() || isEscapedBySomeWriter(value.charAt(i))) {
				if (start > 0 || i < value.length()) {
					String run = value.substring(start, i);
					if (ShownForms.looksLikeAToken(run) && ServedSecrets.isDistinctive(run)) {
						forms.add(run);
					}
				}
				start = i + 1;
			}
		}
	}

	/**
	 * Whether some writer escapes a character: control characters and characters beyond
	 * ASCII (JSON, YAML), {@code " \ /} (JSON), {@code & < > ' /} (HTML, XML), {@code ]}
	 * (RFC 5424).
	 */
	private static boolean isEscapedBySomeWriter(char c) {
		return c < 0x20 || c >= 0x7F || "\"&'/<>\\]".indexOf(c) >= 0;
	}

	private static boolean hasAny(String value, String characters) {
		for (int i = 0; i < value.length(); i++) {
			if (characters.indexOf(value.charAt(i)) >= 0) {
				return true;
			}
		}
		return false;
	}

	/** Whether a JSON writer escapes any character of a value (a slash only if it escapes slashes). */
	static boolean jsonEscapes(String value, boolean escapeSlash) {
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == '"' || c == '\\' || (escapeSlash && c == '/') || c < 0x20 || (c >= 0x7F && c <= 0x9F)
					|| c == 0x2028 || c == 0x2029) {
				return true;
			}
		}
		return false;
	}

	/**
	 * A value as a JSON writer puts it between quotes.
	 */
	static String jsonEscaped(String value, boolean escapeSlash, String hexFormat) {
		StringBuilder escaped = new StringBuilder(value.length() + 8);
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			switch (c) {
				case '"' -> escaped.append("\\\"");
				case '\\' -> escaped.append("\\\\");
				case '/' -> escaped.append(escapeSlash ? "\\/" : "/");
				case '\b' -> escaped.append("\\b");
				case '\f' -> escaped.append("\\f");
				case '\n' -> escaped.append("\\n");
				case '\r' -> escaped.append("\\r");
				case '\t' -> escaped.append("\\t");
				default -> {
					if (c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x2028 || c == 0x2029) {
						escaped.append("\\u").append(String.format(hexFormat, (int) c));
					}
					else {
						escaped.append(c);
					}
				}
			}
		}
		return escaped.toString();
	}

}
