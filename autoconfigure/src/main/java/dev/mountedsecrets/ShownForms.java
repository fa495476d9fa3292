package dev.mountedsecrets;

import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Forms in which other code shows a value, beyond its encodings: percent-encodings other than
 * {@link java.net.URLEncoder}'s, the pieces Spring and Boot cut a value into, what a charset
 * that cannot encode it writes, and what a converter that fails on it quotes. A piece or a lossy form is looked for only when it is
 * itself {@link ServedSecrets#isDistinctive distinctive}: the piece {@code 1} of {@code 1,2}
 * is not a secret, and masking it would damage every text equal to it.
 */
final class ShownForms {

	/** How much of a longer text Spring shows ({@code ObjectUtils.nullSafeConciseToString}). */
	static final int SPRING_CONCISE_LENGTH = 100;

	/** The shortest piece looked for. */
	static final int MIN_PIECE_LENGTH = 10;

	/** The shortest piece of letters and digits only that is looked for (hex, an access key id). */
	static final int MIN_LETTERS_AND_DIGITS_LENGTH = 16;

	/** How often a piece of letters, digits and dashes switches between letters and digits, at least, for it to read like a token (a UUID). */
	static final int MIN_LETTER_DIGIT_CHANGES = 4;

	/**
	 * The last word of a name that says credential ({@code db_password}, {@code secretKey},
	 * {@code auth-token}); not {@code token_url}, {@code auth_method} or {@code keystore_path}.
	 */
	private static final Pattern CREDENTIAL_NAME = Pattern.compile("(?:^|[_.\\-]|(?<=[a-z0-9])(?=[A-Z]))"
			+ "(?i:pass|passwd|password|passphrase|pwd|secret|token|key|credentials?|auth)$");

	/** A value that says where something is: a path, a URL, a location, a placeholder. */
	private static final Pattern REFERENCE = Pattern
		.compile("^(?:[/~.]|[A-Za-z]:\\\\|(?i:classpath\\*?|file):)|://|\\$\\{");

	/** A host name: letters, digits and dashes, dot-separated, ending with a lower-case label. */
	private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[a-z]{2,24}");

	/** A name and {@code =} or {@code :} at the start of a piece ({@code pass=...}). */
	private static final Pattern SETTING = Pattern.compile("[A-Za-z_][A-Za-z0-9_.\\-]*\\s*[=:]");

	/** Characters left as they are besides letters and digits: URLEncoder, RFC 3986, JavaScript. */
	private static final List<String> KEPT = List.of(".-*_", ".-_~", ".-_~!*'()");

	/** A decimal number as {@link BigDecimal} reads it. */
	private static final Pattern DECIMAL = Pattern.compile("[-+]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d{1,3})?");

	/** The longest value read as a number. */
	private static final int MAX_NUMBER_LENGTH = 64;

	/** The prefixes that make Spring parse a number as hex. */
	private static final List<String> HEX_PREFIXES = List.of("0x", "0X", "#");

	private static final List<Charset> LOSSY = List.of(StandardCharsets.US_ASCII, StandardCharsets.ISO_8859_1);

	private static final char[] UPPER_HEX = "0123456789ABCDEF".toCharArray();

	private static final char[] LOWER_HEX = "0123456789abcdef".toCharArray();

	private ShownForms() {
	}

	/**
	 * Add the forms of a value others show.
	 * @param value the value
	 * @param forms where they go
	 */
	static void addTo(String value, Collection<String> forms) {
		boolean encoded = false;
		boolean pieces = false;
		boolean beyondAscii = false;
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			encoded |= !isAsciiLetterOrDigit(c) && c != '.' && c != '-' && c != '_';
			pieces |= c == ',' || c == '\n' || c == '\r';
			beyondAscii |= c >= 0x80;
		}
		if (encoded) {
			// every encoder leaves letters, digits, '.', '-' and '_' as they are
			addPercentEncodings(value, forms);
		}
		if (pieces) {
			addPieces(value, forms);
		}
		if (beyondAscii) {
			addLossy(value, forms);
		}
		if (value.length() > SPRING_CONCISE_LENGTH) {
			forms.add(value.substring(0, SPRING_CONCISE_LENGTH));
		}
		addConverted(value, forms);
		addNumbers(value, forms);
	}

	/**
	 * A value that is a number, as a bound numeric type shows it: a {@code double}
	 * ({@code 1.23456785E7} for {@code 12345678.5}), a {@code float} (rounded), a whole number
	 * without its leading zeros ({@code 123456789} for {@code 00123456789}), a decimal without
	 * its trailing ones. A JSON writer writes these, and a result read back as a tree holds
	 * them, not the served text. Forms of 8 characters or more only.
	 */
	private static void addNumbers(String value, Collection<String> forms) {
		String trimmed = value.trim();
		if (trimmed.length() > MAX_NUMBER_LENGTH || !DECIMAL.matcher(trimmed).matches()) {
			return;
		}
		BigDecimal number = new BigDecimal(trimmed);
		List<String> shown = new ArrayList<>(3);
		shown.add(number.stripTrailingZeros().toPlainString());
		if (Double.isFinite(number.doubleValue())) {
			shown.add(Double.toString(number.doubleValue()));
		}
		if (Float.isFinite(number.floatValue())) {
			shown.add(Float.toString(number.floatValue()));
		}
		for (String form : shown) {
			if (form.length() >= ServedSecrets.MIN_EMBEDDED_LENGTH && form.length() <= MAX_NUMBER_LENGTH) {
				forms.add(form);
			}
		}
	}

	/**
	 * What a converter that fails on a value quotes of it, when that is not the value itself:
	 * the value trimmed (enum, UUID and charset converters), without any white space
	 * ({@code NumberUtils.parseNumber} removes it before parsing), and, for a number written
	 * with a hex prefix ({@code 0x}, {@code 0X} or {@code #}, after an optional {@code -}), what
	 * follows the prefix ({@code Integer.decode} and its kind quote only that). Each only when
	 * it is {@linkplain ServedSecrets#isDistinctive distinctive} itself.
	 */
	private static void addConverted(String value, Collection<String> forms) {
		addIfDistinctive(value.trim(), forms);
		StringBuilder compact = new StringBuilder(value.length());
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (!Character.isWhitespace(c)) {
				compact.append(c);
			}
		}
		String number = compact.toString();
		addIfDistinctive(number, forms);
		int sign = number.startsWith("-") ? 1 : 0;
		for (String prefix : HEX_PREFIXES) {
			if (number.startsWith(prefix, sign)) {
				addIfDistinctive(number.substring(sign + prefix.length()), forms);
			}
		}
	}

	private static void addIfDistinctive(String form, Collection<String> forms) {
		if (ServedSecrets.isDistinctive(form)) {
			forms.add(form);
		}
	}

	/**
	 * The percent-encodings of a value's UTF-8 bytes that URL builders write: each set of
	 * characters kept as they are (URLEncoder's, RFC 3986's unreserved ones, JavaScript's
	 * {@code encodeURIComponent}), a space as {@code +} or {@code %20}, upper- or lower-case hex.
	 */
	private static void addPercentEncodings(String value, Collection<String> forms) {
		byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
		for (String kept : KEPT) {
			for (boolean plus : new boolean[] { true, false }) {
				forms.add(percentEncoded(bytes, kept, plus, UPPER_HEX));
				forms.add(percentEncoded(bytes, kept, plus, LOWER_HEX));
			}
		}
	}

	static String percentEncoded(byte[] bytes, String kept, boolean spaceAsPlus, char[] hex) {
		StringBuilder encoded = new StringBuilder(bytes.length * 3);
		for (byte b : bytes) {
			int c = b & 0xFF;
			if (isAsciiLetterOrDigit(c) || (c < 0x80 && kept.indexOf(c) >= 0)) {
				encoded.append((char) c);
			}
			else if (c == ' ' && spaceAsPlus) {
				encoded.append('+');
			}
			else {
				encoded.append('%').append(hex[c >> 4]).append(hex[c & 0xF]);
			}
		}
		return encoded.toString();
	}

	/**
	 * The pieces a value is cut into: the elements Boot binds a comma-separated value to (a
	 * list or an array, each trimmed, an empty last one kept) and the lines of a value of
	 * several lines (a PEM block printed line by line), each line also cut at its commas; of a
	 * piece that sets a name ({@code pass=...}, {@code key: ...}), what follows. A piece is
	 * looked for only when it looks like a secret itself, so that what structures a file
	 * ({@code [default]}, {@code region=eu-central-1}, {@code host=db-01.internal},
	 * {@code url=jdbc:postgresql://db:5432/app}, {@code user=admin}, a PEM block's armour) is
	 * not: what a name that says credential sets (its last word {@code password},
	 * {@code passphrase}, {@code pwd}, {@code secret}, {@code token}, {@code key},
	 * {@code credential}, {@code auth}), when distinctive, white space and all; any other piece
	 * only when it reads like a random token ({@link #looksLikeAToken}).
	 */
	private static void addPieces(String value, Collection<String> forms) {
		for (String line : value.split("\\R", -1)) {
			addPiece(line, forms);
			for (String element : line.split(",", -1)) {
				addPiece(element, forms);
			}
		}
	}

	private static void addPiece(String piece, Collection<String> forms) {
		String trimmed = piece.trim();
		Matcher setting = SETTING.matcher(trimmed);
		boolean named = setting.lookingAt();
		String candidate = named ? trimmed.substring(setting.end()).trim() : trimmed;
		boolean credential = named
				&& CREDENTIAL_NAME.matcher(trimmed.substring(0, setting.end() - 1).trim()).find();
		if (((credential && !isAReference(candidate)) || looksLikeAToken(candidate))
				&& ServedSecrets.isDistinctive(candidate)) {
			forms.add(candidate);
		}
	}

	/**
	 * Whether what a credential name sets says where the credential is, not what it is: a path
	 * ({@code GOOGLE_APPLICATION_CREDENTIALS=/var/secrets/key.json}), a URL, a
	 * {@code classpath:} or {@code file:} location, a placeholder.
	 */
	private static boolean isAReference(String value) {
		return REFERENCE.matcher(value).find();
	}

	/**
	 * Whether a piece reads like a random token: {@value #MIN_PIECE_LENGTH} characters or more
	 * without white space that mix lower case, upper case and digits (Base64, a generated
	 * password); or
	 * {@value #MIN_LETTERS_AND_DIGITS_LENGTH} or more of letters and digits, both (hex, an
	 * access key id), with dashes or underscores only if it switches between letters and digits
	 * {@value #MIN_LETTER_DIGIT_CHANGES} times or more (a UUID). A region, a host name, a URL
	 * or a version (lower case with signs), a word ({@code Production}), a name
	 * ({@code ServiceAccount}, {@code activeDirectoryEndpointUrl}), a name with a number
	 * ({@code my-project-123456}) or a host name ({@code A95F...gr7.us-west-2.eks.amazonaws.com})
	 * does not.
	 * @param piece the piece
	 * @return whether it is looked for
	 */
	static boolean looksLikeAToken(String piece) {
		if (piece.length() < MIN_PIECE_LENGTH) {
			return false;
		}
		boolean lower = false;
		boolean upper = false;
		boolean digit = false;
		boolean separator = false;
		boolean other = false;
		int letterDigitChanges = 0;
		int lastKind = 0;
		for (int i = 0; i < piece.length(); i++) {
			char c = piece.charAt(i);
			if (Character.isWhitespace(c)) {
				return false;
			}
			lower |= Character.isLowerCase(c);
			upper |= Character.isUpperCase(c);
			digit |= Character.isDigit(c);
			separator |= c == '-' || c == '_';
			other |= !Character.isLetterOrDigit(c) && c != '-' && c != '_';
			int kind = Character.isLetter(c) ? 1 : Character.isDigit(c) ? 2 : 0;
			if (kind != 0) {
				letterDigitChanges += (lastKind != 0 && kind != lastKind) ? 1 : 0;
				lastKind = kind;
			}
		}
		if (HOST_NAME.matcher(piece).matches() || (piece.contains("://") && piece.indexOf('@') < 0)) {
			// a host name, a URL with no user info
			return false;
		}
		if (lower && upper && digit) {
			return true;
		}
		// hex, an access key id, a UUID; not a name with a number (my-project-123456)
		return !other && digit && (lower || upper) && piece.length() >= MIN_LETTERS_AND_DIGITS_LENGTH
				&& (!separator || letterDigitChanges >= MIN_LETTER_DIGIT_CHANGES);
	}

	/**
	 * What a value is written as by a charset that cannot encode all of it (US-ASCII,
	 * ISO-8859-1): each character it has not replaced by {@code ?}, when at least half of the
	 * value and {@value ServedSecrets#MIN_EMBEDDED_LENGTH} characters are kept.
	 */
	private static void addLossy(String value, Collection<String> forms) {
		for (Charset charset : LOSSY) {
			String written = new String(value.getBytes(charset), charset);
			if (written.equals(value)) {
				continue;
			}
			int replaced = 0;
			for (int i = 0; i < written.length(); i++) {
				if (written.charAt(i) == '?') {
					replaced++;
				}
			}
			int kept = written.length() - replaced;
			if (kept >= ServedSecrets.MIN_EMBEDDED_LENGTH && kept >= replaced && ServedSecrets.isDistinctive(written)) {
				forms.add(written);
			}
		}
	}

	private static boolean isAsciiLetterOrDigit(int c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
	}

}
