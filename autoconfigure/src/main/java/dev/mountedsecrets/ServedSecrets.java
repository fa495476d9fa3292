package dev.mountedsecrets;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.lang.reflect.Array;
import java.net.URLEncoder;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;

/**
 * Every value the process has served from a secret file (the folder at start-up, every
 * rotation, {@code X_FILE} variables), kept for the life of the process so that a value still
 * held by a bean after a rotation is masked like the current one. Answers in constant time
 * whether a value is a secret, and in one pass over a text whether it contains one (in clear,
 * upper- or lower-cased, Base64, URL-encoded or hex form): a multi-pattern search over all forms.
 * <p>
 * Kept with the environment (by the secrets property source), so a failure analyzer reaches
 * it in a failed start, before any bean exists. Thread-safe; never shows a value.
 */
public final class ServedSecrets {

	/** What replaces a secret wherever it is masked. */
	public static final String MASK = "******";

	/**
	 * Shortest secret looked for inside longer texts: a shorter one would mask every text that
	 * happens to include it. Shorter secrets are masked when a value equals them.
	 */
	public static final int MIN_EMBEDDED_LENGTH = 8;

	/**
	 * Shortest secret of one kind of character only (lower-case letters, upper-case letters or
	 * digits: a word such as {@code springframework}, a number) looked for inside longer texts.
	 * Shorter ones are masked where a whole value equals them.
	 */
	public static final int MIN_EMBEDDED_LENGTH_ONE_KIND = 20;

	/**
	 * The registry of each folder, for as long as anything (a property source, a log masking,
	 * a bean) holds it.
	 */
	private static final Map<Path, WeakReference<ServedSecrets>> BY_FOLDER = new ConcurrentHashMap<>();

	private volatile Index index = Index.EMPTY;

	/**
	 * Values recorded but not yet in the index, each once (an application that never asks,
	 * without Logback or actuator, keeps one copy per value however often it rotates);
	 * guarded by {@code this}.
	 */
	private final Set<String> pending = new LinkedHashSet<>();

	private volatile boolean hasPending;

	/**
	 * The registry of every value served from a folder in this process: the same instance for
	 * every property source made from that folder, as long as one of them is in use. A Spring
	 * Cloud refresh ({@code /actuator/refresh}) runs the post-processors on a copy of the
	 * environment and puts the secrets source made there in place of the one in use: with a
	 * registry of its own, the values served before it would no longer be masked.
	 * @param dir the secrets folder
	 * @return its registry
	 */
	public static ServedSecrets forFolder(Path dir) {
		Path key = dir.toAbsolutePath().normalize();
		BY_FOLDER.values().removeIf((reference) -> reference.get() == null);
		ServedSecrets[] found = new ServedSecrets[1];
		BY_FOLDER.compute(key, (path, reference) -> {
			ServedSecrets existing = (reference != null) ? reference.get() : null;
			found[0] = (existing != null) ? existing : new ServedSecrets();
			return (existing != null) ? reference : new WeakReference<>(found[0]);
		});
		return found[0];
	}

	/**
	 * Every registry in use in this process, one per folder: for a failure reported before
	 * the application's environment can be reached (Spring Boot analyses a failure in the
	 * set-up of logging without an application context).
	 * @return the registries, possibly none
	 */
	public static List<ServedSecrets> inUse() {
		List<ServedSecrets> registries = new ArrayList<>();
		for (WeakReference<ServedSecrets> reference : BY_FOLDER.values()) {
			ServedSecrets served = reference.get();
			if (served != null) {
				registries.add(served);
			}
		}
		return registries;
	}

	/**
	 * Record values as served. Empty values are ignored. The index that finds them is built
	 * at the next question asked (a sanitizer, the response filter, a log event), so loading
	 * or rotating a folder does not pay for forms nobody looks for yet; no question is ever
	 * answered without them.
	 * @param values the values
	 */
	public synchronized void record(Collection<String> values) {
		for (String value : values) {
			if (!value.isEmpty()) {
				this.pending.add(value);
			}
		}
		this.hasPending = !this.pending.isEmpty();
	}

	/**
	 * Record as served every value another registry holds: the registry that replaces it in
	 * an environment forgets nothing.
	 * @param earlier the registry replaced
	 */
	void adopt(ServedSecrets earlier) {
		if (earlier != this) {
			record(earlier.index().raw);
		}
	}

	/**
	 * The index with every value recorded so far.
	 */
	private Index index() {
		if (this.hasPending) {
			synchronized (this) {
				Index current = this.index;
				Set<String> added = new LinkedHashSet<>();
				for (String value : this.pending) {
					if (!current.raw.contains(value)) {
						added.add(value);
					}
				}
				if (!added.isEmpty()) {
					this.index = current.with(added);
				}
				this.pending.clear();
				this.hasPending = false;
			}
		}
		return this.index;
	}

	/**
	 * How many distinct values were served.
	 * @return the count
	 */
	public int size() {
		return index().raw.size();
	}

	/**
	 * Whether a value shows a served secret: its text equals one, or contains one that is
	 * {@linkplain #isDistinctive(String) distinctive}, in any of the forms looked for.
	 * {@code char[]}, {@code byte[]}, arrays, collections and maps are looked at through their
	 * text and their elements. A boolean never shows a secret, and a number only when its text
	 * equals one of {@value #MIN_EMBEDDED_LENGTH} characters or more: {@code true} or {@code 1}
	 * served as a secret does not mask every flag or count (such values are masked by meaning,
	 * as the property that serves them).
	 * @param value any value
	 * @return whether it shows a secret
	 */
	public boolean shows(@Nullable Object value) {
		Index current = index();
		if (value == null || current.raw.isEmpty()) {
			return false;
		}
		return current.shows(value, 0);
	}

	/**
	 * Replace every served secret in a text by {@value #MASK}: the whole text when it equals
	 * a served value (in any of the forms looked for), and each occurrence of a
	 * {@linkplain #isDistinctive(String) distinctive} one inside it.
	 * @param text any text
	 * @return the text, masked; the same instance when it shows no secret
	 */
	public String mask(String text) {
		Index current = index();
		// a text longer than every form cannot equal one: no hash of a whole response body
		if (current.equalsExact(text)) {
			return MASK;
		}
		return current.maskInside(text);
	}

	/**
	 * Replace every served secret in text written as bytes, as {@link #mask(String)} does in
	 * its decoded text. Bytes of ASCII text in an ASCII-compatible charset (UTF-8, US-ASCII,
	 * ISO-8859-1) are searched as they are, without decoding them, and returned as they are
	 * when they show no secret: what a log line costs when, as nearly always, it shows none.
	 * Any other bytes are decoded, masked and encoded again when a secret shows.
	 * @param bytes the text's bytes
	 * @param charset the charset that wrote them
	 * @return the bytes, masked; the same array when they show no secret
	 */
	public byte[] mask(byte[] bytes, Charset charset) {
		Index current = index();
		if (current.raw.isEmpty()) {
			return bytes;
		}
		// ASCII: as many characters as bytes, so a length no form has cannot equal one
		if (isAsciiCompatible(charset) && isAscii(bytes) && !current.hasExactLength(bytes.length)
				&& !current.automaton.foundIn(bytes)) {
			return bytes;
		}
		String text = new String(bytes, charset);
		String masked = mask(text);
		return (masked == text) ? bytes : masked.getBytes(charset);
	}

	/**
	 * {@link #mask(byte[], Charset)}, for the lines of one writer: ASCII lines are looked at
	 * faster where they hold what the writer's last clean line held at the same places (see
	 * {@link RecentLine}). What is masked is the same.
	 * @param bytes the text's bytes
	 * @param charset the charset that wrote them
	 * @param recent what the same writer wrote last, updated by this call
	 * @return the bytes, masked; the same array when they show no secret
	 */
	public byte[] mask(byte[] bytes, Charset charset, RecentLine recent) {
		Index current = index();
		if (current.raw.isEmpty()) {
			return bytes;
		}
		if (bytes.length <= RecentLine.LONGEST && isAsciiCompatible(charset) && isAscii(bytes)
				&& !current.hasExactLength(bytes.length)) {
			CleanLine last = recent.get();
			CleanLine clean = current.automaton.cleanLine(bytes,
					(last != null && last.automaton() == current.automaton) ? last : null);
			if (clean != null) {
				if (clean != last) {
					recent.set(clean);
				}
				return bytes;
			}
		}
		return mask(bytes, charset);
	}

	private static boolean isAsciiCompatible(Charset charset) {
		return charset.equals(StandardCharsets.UTF_8) || charset.equals(StandardCharsets.US_ASCII)
				|| charset.equals(StandardCharsets.ISO_8859_1);
	}

	/** Whether every byte is below 0x80: each byte is then the one character it decodes to. */
	private static boolean isAscii(byte[] bytes) {
		long seen = 0;
		int i = 0;
		for (; i + Long.BYTES <= bytes.length; i += Long.BYTES) {
			seen |= (long) Automaton.WINDOW.get(bytes, i);
		}
		for (; i < bytes.length; i++) {
			seen |= bytes[i];
		}
		return (seen & 0x8080808080808080L) == 0;
	}

	/**
	 * Whether a served value is looked for inside longer texts, rather than only where a whole
	 * value equals it: it has {@value #MIN_EMBEDDED_LENGTH} characters or more, and mixes kinds
	 * of characters (lower-case letters, upper-case letters, digits, letters without case such
	 * as CJK, white space, others) or, made of one kind only (a word, a number, a row of
	 * dashes), has {@value #MIN_EMBEDDED_LENGTH_ONE_KIND} or more. A served
	 * {@code springframework} or {@code 12345678} leaves {@code org.springframework.boot} and
	 * {@code 123456789} as they are. A value of white space only is never distinctive.
	 * @param value a served value
	 * @return whether it is searched for inside texts
	 */
	public static boolean isDistinctive(String value) {
		if (value.length() < MIN_EMBEDDED_LENGTH) {
			return false;
		}
		if (value.isBlank()) {
			return false;
		}
		if (value.length() >= MIN_EMBEDDED_LENGTH_ONE_KIND) {
			return true;
		}
		int first = kind(value.codePointAt(0));
		for (int i = 0; i < value.length(); i += Character.charCount(value.codePointAt(i))) {
			if (kind(value.codePointAt(i)) != first) {
				return true;
			}
		}
		return false;
	}

	/** Lower-case letter, upper-case letter, digit, other letter (CJK), white space, other. */
	private static int kind(int codePoint) {
		if (Character.isLowerCase(codePoint)) {
			return 0;
		}
		if (Character.isUpperCase(codePoint)) {
			return 1;
		}
		if (Character.isDigit(codePoint)) {
			return 2;
		}
		if (Character.isLetter(codePoint)) {
			return 3;
		}
		return Character.isWhitespace(codePoint) ? 5 : 4;
	}

	/**
	 * The registry of an environment: the one kept by its secrets property source.
	 * @param environment the environment
	 * @return the registry, or {@code null} when no secret was loaded into it
	 */
	public static @Nullable ServedSecrets in(@Nullable Environment environment) {
		if (environment instanceof ConfigurableEnvironment configurable) {
			PropertySource<?> source = configurable.getPropertySources().get(SecretsPropertySource.NAME);
			if (source instanceof SecretsPropertySource secrets) {
				return secrets.served();
			}
		}
		return null;
	}

	@Override
	public String toString() {
		return "ServedSecrets[values=" + size() + "]";
	}

	/**
	 * The forms of a value looked for: as written, upper-cased and lower-cased (a logging
	 * system upper-cases a level it cannot parse before printing it), as served (placeholders
	 * escaped), Base64 (standard and URL-safe), URL-encoded and hex of its UTF-8 bytes, the
	 * {@link ShownForms forms others show} (other percent-encodings, the pieces Spring and Boot
	 * cut it into, what a charset that cannot encode it writes, what a converter that fails on
	 * it quotes), and the
	 * {@link WriterEscapes forms writers that escape characters give it} (JSON strings of
	 * structured log lines, HTML and XML layouts, RFC 5424, CSV, and the runs any writer leaves
	 * as they are). Actuator results need no writer's
	 * forms: they are masked as values before a writer sees them; log lines are masked as
	 * written, after the layout.
	 */
	static Set<String> forms(String value) {
		Set<String> forms = new LinkedHashSet<>();
		forms.add(value);
		forms.add(value.toUpperCase(Locale.ROOT));
		forms.add(value.toLowerCase(Locale.ROOT));
		byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
		String base64 = Base64.getEncoder().encodeToString(bytes);
		forms.add(base64);
		forms.add(Base64.getEncoder().withoutPadding().encodeToString(bytes));
		forms.add(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
		String urlEncoded = urlEncoded(value);
		forms.add(urlEncoded);
		forms.add(urlEncoded.replace("+", "%20"));
		forms.add(HexFormat.of().formatHex(bytes));
		forms.add(HexFormat.of().withUpperCase().formatHex(bytes));
		forms.add(VerbatimValues.escape(value));
		ShownForms.addTo(value, forms);
		WriterEscapes.addTo(value, forms);
		// without its padding, a prefix of the padded text: found inside either
		WriterEscapes.addSlashEscapes(base64.replace("=", ""), forms);
		return forms;
	}

	/**
	 * A value as {@link URLEncoder} encodes it in UTF-8, without its cost for ASCII text: letters,
	 * digits and {@code .-*_} as they are, a space as {@code +}, any other character as
	 * {@code %XX}.
	 */
	static String urlEncoded(String value) {
		StringBuilder encoded = null;
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c >= 0x80) {
				return URLEncoder.encode(value, StandardCharsets.UTF_8);
			}
			boolean kept = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
					|| c == '-' || c == '*' || c == '_';
			if (!kept && encoded == null) {
				encoded = new StringBuilder(value.length() + 16).append(value, 0, i);
			}
			if (encoded != null) {
				if (kept) {
					encoded.append(c);
				}
				else if (c == ' ') {
					encoded.append('+');
				}
				else {
					encoded.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
						.append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
				}
			}
		}
		return (encoded != null) ? encoded.toString() : value;
	}

	/**
	 * A line that showed no pattern of an automaton (a copy: the writer's array may be reused);
	 * comparable if no window of it is a pattern's anchor, so that the next line is looked at
	 * only where it differs.
	 */
	record CleanLine(Automaton automaton, byte[] bytes, boolean comparable) {

		@Override
		public String toString() {
			return "CleanLine[" + this.bytes.length + " bytes]";
		}

	}

	private static final class Index {

		static final Index EMPTY = new Index(Set.of(), Set.of(), new boolean[0], List.of());

		/** About how many forms a value has: what the sets of a new index are sized for. */
		private static final int FORMS_PER_VALUE = 14;

		private static final int MAX_DEPTH = 8;

		/** Shorter texts are searched every time: cheaper than remembered. */
		private static final int CLEAN_TEXT_MIN_LENGTH = 256;

		private static final int CLEAN_TEXT_MAX_LENGTH = 64 * 1024;

		private static final int CLEAN_TEXTS = 256;

		/**
		 * Long texts this index found no secret in, such as {@code java.class.path}, which the
		 * sanitizer and the masking of results see at every {@code /actuator/env} request: found again by their
		 * hash, which a string keeps, and by equality, which is identity for the same string.
		 * Never a text that shows a secret. Belongs to this index: a new value served makes a
		 * new index, which remembers nothing yet.
		 */
		private final Map<String, Boolean> cleanTexts = new ConcurrentHashMap<>();

		/** Shorter texts this index found no secret in. */
		private final CleanTexts cleanShortTexts = new CleanTexts();

		final Set<String> raw;

		final Set<String> exact;

		/**
		 * Whether some form looked for only as a whole text (not inside texts) has a length, by
		 * length: a text of another length cannot equal one, whatever its content (a log line
		 * is never hashed to find out). A form also looked for inside texts is not counted: the
		 * automaton finds it in a text that equals it, so a line whose length is that of a
		 * Base64 or hex form goes the fast way all the same.
		 */
		private final boolean[] exactLengths;

		final List<String> patterns;

		final Automaton automaton;

		private Index(Set<String> raw, Set<String> exact, boolean[] exactLengths, List<String> patterns) {
			this.raw = raw;
			this.exact = exact;
			this.exactLengths = exactLengths;
			this.patterns = patterns;
			this.automaton = new Automaton(patterns);
		}

		/**
		 * This index and the forms of more values; the forms of values already in are kept. A
		 * form may be another value's too (the Base64 of a short value may be a longer value):
		 * each is searched for inside texts all the same, the automaton keeps it once.
		 */
		Index with(Collection<String> added) {
			int moreForms = added.size() * FORMS_PER_VALUE;
			Set<String> raw = copyWithRoom(this.raw, added.size());
			Set<String> exact = copyWithRoom(this.exact, moreForms);
			List<String> patterns = new ArrayList<>(this.patterns.size() + moreForms);
			patterns.addAll(this.patterns);
			boolean[] exactLengths = Arrays.copyOf(this.exactLengths, Math.max(this.exactLengths.length, 128));
			for (String value : added) {
				if (!raw.add(value)) {
					// its forms are in already
					continue;
				}
				boolean distinctive = isDistinctive(value);
				String upper = value.toUpperCase(Locale.ROOT);
				String lower = value.toLowerCase(Locale.ROOT);
				for (String form : forms(value)) {
					if (!form.equals(value) && (form.equals(upper) || form.equals(lower))) {
						// a case-folded form is looked for inside texts only, and only when it is
						// distinctive itself: 'Postgres' served must not mask every 'postgres',
						// nor a map key equal to 'password'
						if (distinctive && isDistinctive(form)) {
							patterns.add(form);
						}
					}
					else {
						exact.add(form);
						if (distinctive && form.length() >= MIN_EMBEDDED_LENGTH) {
							patterns.add(form);
						}
						else {
							if (form.length() >= exactLengths.length) {
								exactLengths = Arrays.copyOf(exactLengths, 2 * form.length());
							}
							exactLengths[form.length()] = true;
						}
					}
				}
			}
			return new Index(Collections.unmodifiableSet(raw), Collections.unmodifiableSet(exact), exactLengths,
					Collections.unmodifiableList(patterns));
		}

		/** A copy of a set sized for more elements: 150,000 forms are not added through a dozen resizes. */
		private static Set<String> copyWithRoom(Set<String> set, int more) {
			Set<String> copy = new HashSet<>((int) ((set.size() + more) / 0.75f) + 1);
			copy.addAll(set);
			return copy;
		}

		boolean shows(@Nullable Object value, int depth) {
			if (value == null || depth > MAX_DEPTH) {
				return false;
			}
			if (value instanceof CharSequence text) {
				return showsText(text.toString());
			}
			if (value instanceof Boolean) {
				return false;
			}
			if (value instanceof Number number) {
				String text = number.toString();
				return text.length() >= MIN_EMBEDDED_LENGTH && this.exact.contains(text);
			}
			if (value instanceof char[] chars) {
				return showsText(new String(chars));
			}
			if (value instanceof byte[] bytes) {
				return showsText(new String(bytes, StandardCharsets.UTF_8));
			}
			if (value instanceof Map<?, ?> map) {
				for (Map.Entry<?, ?> entry : map.entrySet()) {
					if (shows(entry.getKey(), depth + 1) || shows(entry.getValue(), depth + 1)) {
						return true;
					}
				}
				return false;
			}
			if (value instanceof Iterable<?> iterable) {
				for (Object element : iterable) {
					if (shows(element, depth + 1)) {
						return true;
					}
				}
				return false;
			}
			if (value.getClass().isArray()) {
				for (int i = 0; i < Array.getLength(value); i++) {
					if (shows(Array.get(value, i), depth + 1)) {
						return true;
					}
				}
				return false;
			}
			return showsText(String.valueOf(value));
		}

		private boolean showsText(String text) {
			if (text.isEmpty()) {
				return false;
			}
			boolean shortText = text.length() < CLEAN_TEXT_MIN_LENGTH;
			if (shortText && this.cleanShortTexts.contains(text)) {
				return false;
			}
			if (equalsExact(text)) {
				return true;
			}
			if (isRememberedClean(text)) {
				return false;
			}
			boolean found = this.automaton.foundIn(text);
			if (!found) {
				if (shortText) {
					this.cleanShortTexts.add(text);
				}
				else {
					rememberClean(text);
				}
			}
			return found;
		}

		boolean hasExactLength(int length) {
			return length < this.exactLengths.length && this.exactLengths[length];
		}

		/**
		 * Whether a text equals a form of a served value that is looked for only as a whole
		 * text; one that is also looked for inside texts is found there.
		 */
		boolean equalsExact(String text) {
			return hasExactLength(text.length()) && this.exact.contains(text);
		}

		/** The text with every embedded value masked; the same instance when it shows none. */
		String maskInside(String text) {
			if (isRememberedClean(text)) {
				return text;
			}
			String masked = this.automaton.mask(text);
			if (masked == text) {
				rememberClean(text);
			}
			return masked;
		}

		private boolean isRememberedClean(String text) {
			return isRemembered(text) && this.cleanTexts.containsKey(text);
		}

		private void rememberClean(String text) {
			if (isRemembered(text)) {
				if (this.cleanTexts.size() >= CLEAN_TEXTS) {
					this.cleanTexts.clear();
				}
				this.cleanTexts.put(text, Boolean.TRUE);
			}
		}

		private static boolean isRemembered(String text) {
			return text.length() >= CLEAN_TEXT_MIN_LENGTH && text.length() <= CLEAN_TEXT_MAX_LENGTH;
		}

	}

	/**
	 * Multi-pattern search on a fixed-length anchor: every pattern is at least
	 * {@value #MIN_EMBEDDED_LENGTH} characters long, so each position of a text is looked up by
	 * its next {@value #MIN_EMBEDDED_LENGTH} characters, in an open-addressing table of the
	 * patterns' first {@value #MIN_EMBEDDED_LENGTH} characters; only a hit is verified. One pass
	 * whatever the number of patterns, a few bytes per pattern.
	 * <p>
	 * The anchor of a window is the low byte of each of its characters, read as one
	 * {@code long}: no rolling hash whose every step waits for the previous one, so a processor
	 * looks at several positions at once. Characters that differ only in their high byte give
	 * the same anchor, which the verification sorts out.
	 * <p>
	 * With many patterns (11,000 values served have some 110,000 forms) that table is larger
	 * than a processor cache, and probing it at every position of a 150 KB response costs a
	 * cache miss per character. A blocked Bloom filter of 16 bits per pattern (two bits in one
	 * 64-bit word, so one memory access) answers first: it never misses an anchor in the table
	 * and lets about one position in a hundred through to the table.
	 * <p>
	 * Before either, a window is looked at only if each of its bytes is one that some
	 * pattern's anchor holds: served values are mostly letters, digits and a few signs
	 * (Base64, hex, URL-encoding), so a space, a colon or a bracket in a log line rules out
	 * the eight windows that hold it, each byte of the text looked up once in a table of 256.
	 */
	static final class Automaton {

		/**
		 * Bytes looked at in a line that make it worth remembering in place of the last one:
		 * below this, copying the line costs more than the next line would gain.
		 */
		private static final int BYTES_WORTH_A_NEW_LINE = 64;

		private static final int CLEAN = 0;

		private static final int CLEAN_BUT_ANCHORED = 1;

		private static final int FOUND = 2;

		/** Eight bytes of an array as one {@code long}, at any offset. */
		static final VarHandle WINDOW = MethodHandles.byteArrayViewVarHandle(long[].class,
				ByteOrder.LITTLE_ENDIAN);

		/**
		 * For each byte, -1 if it is in some pattern's anchor, else 0: a window with any other
		 * is skipped. A mask rather than a boolean, so counting the run of such bytes before a
		 * position takes no branch (which text that alternates words and spaces mispredicts).
		 */
		private final byte[] inAnchors = new byte[256];

		private final long[] anchors;

		/**
		 * For each slot of the table, the first pattern with its anchor, -1 for an empty
		 * slot; each pattern's next one with the same anchor is in {@link #next}. Flat arrays,
		 * not a map of lists: 110,000 forms would cost as many boxed keys, lists and entries
		 * to build and to keep.
		 */
		private final int[] first;

		private final String[] patterns;

		private final int[] next;

		private final long[] filter;

		Automaton(Collection<String> patterns) {
			int size = Integer.highestOneBit(Math.max(16, patterns.size() * 4 - 1)) << 1;
			this.anchors = new long[size];
			this.first = new int[size];
			Arrays.fill(this.first, -1);
			this.filter = new long[Integer.highestOneBit(Math.max(1, patterns.size() / 4)) << 1];
			String[] kept = new String[patterns.size()];
			int[] next = new int[patterns.size()];
			int count = 0;
			for (String pattern : patterns) {
				byte[] low = lowBytes(pattern);
				for (int i = 0; i < MIN_EMBEDDED_LENGTH; i++) {
					this.inAnchors[low[i] & 0xFF] = -1;
				}
				int slot = insert(anchorAt(low, 0));
				if (!holds(slot, pattern, kept, next)) {
					kept[count] = pattern;
					next[count] = this.first[slot];
					this.first[slot] = count++;
				}
			}
			this.patterns = Arrays.copyOf(kept, count);
			this.next = Arrays.copyOf(next, count);
		}

		private boolean holds(int slot, String pattern, String[] kept, int[] next) {
			for (int p = this.first[slot]; p >= 0; p = next[p]) {
				if (kept[p].equals(pattern)) {
					return true;
				}
			}
			return false;
		}

		/** The slot of an anchor, taken for it if it has none yet. */
		private int insert(long anchor) {
			long mixed = mix(anchor);
			this.filter[filterWord(mixed)] |= filterBits(mixed);
			int mask = this.anchors.length - 1;
			for (int slot = (int) mixed & mask;; slot = (slot + 1) & mask) {
				if (this.first[slot] < 0) {
					this.anchors[slot] = anchor;
					return slot;
				}
				if (this.anchors[slot] == anchor) {
					return slot;
				}
			}
		}

		/** The slot of an anchor some pattern starts with, -1 if none does. */
		private int slotOf(long anchor) {
			long mixed = mix(anchor);
			long bits = filterBits(mixed);
			if ((this.filter[filterWord(mixed)] & bits) != bits) {
				return -1;
			}
			int mask = this.anchors.length - 1;
			for (int slot = (int) mixed & mask; this.first[slot] >= 0; slot = (slot + 1) & mask) {
				if (this.anchors[slot] == anchor) {
					return slot;
				}
			}
			return -1;
		}

		private boolean isEmpty() {
			return this.patterns.length == 0;
		}

		/** Length of the longest pattern that starts at {@code start} in the text, 0 for none. */
		private int longestAt(String text, int start, long anchor) {
			int slot = slotOf(anchor);
			int longest = 0;
			for (int p = (slot >= 0) ? this.first[slot] : -1; p >= 0; p = this.next[p]) {
				String pattern = this.patterns[p];
				if (pattern.length() > longest && text.startsWith(pattern, start)) {
					longest = pattern.length();
				}
			}
			return longest;
		}

		boolean foundIn(String text) {
			if (isEmpty() || text.length() < MIN_EMBEDDED_LENGTH) {
				return false;
			}
			byte[] low = lowBytes(text);
			int run = 0;
			for (int end = 0; end < low.length; end++) {
				run = (run + 1) & this.inAnchors[low[end] & 0xFF];
				if (run >= MIN_EMBEDDED_LENGTH) {
					int start = end + 1 - MIN_EMBEDDED_LENGTH;
					if (longestAt(text, start, anchorAt(low, start)) > 0) {
						return true;
					}
				}
			}
			return false;
		}

		/**
		 * Whether ASCII text, as its bytes, shows a pattern (each byte is its character's low
		 * byte and the character itself).
		 */
		boolean foundIn(byte[] ascii) {
			return look(ascii, 0, ascii.length - 1) == FOUND;
		}

		/**
		 * {@link #foundIn(byte[])} for a line written after another clean one by the same
		 * writer: only the windows that hold a byte differing from the last line's at the same
		 * offset are looked at, the others (the same anchor, which no pattern starts with,
		 * gives the same answer) are skipped; equal stretches are found with a vectorized
		 * comparison. A line with a window some pattern starts with (but that is not one) is
		 * remembered as one to look at in full, so the next line is.
		 * @param ascii the line
		 * @param last the writer's last clean line, looked at by this automaton, or none
		 * @return {@code null} if the line shows a pattern; else what to remember of it (the
		 * last line when the look gained enough from it to keep it)
		 */
		@Nullable CleanLine cleanLine(byte[] ascii, @Nullable CleanLine last) {
			if (last == null || !last.comparable()) {
				int found = look(ascii, 0, ascii.length - 1);
				if (found == FOUND) {
					return null;
				}
				if (found == CLEAN) {
					return new CleanLine(this, ascii.clone(), true);
				}
				return (last != null) ? last : new CleanLine(this, new byte[0], false);
			}
			byte[] lastBytes = last.bytes();
			int common = Math.min(ascii.length, lastBytes.length);
			boolean comparable = true;
			int lookedAt = 0;
			int from = 0;
			while (from < ascii.length) {
				// the first byte from here that differs from the last line's at the same offset
				int differs = from;
				if (from < common) {
					int equal = Arrays.mismatch(ascii, from, common, lastBytes, from, common);
					differs = (equal < 0) ? common : from + equal;
				}
				if (differs >= ascii.length) {
					break;
				}
				// the last differing byte before MIN_EMBEDDED_LENGTH equal ones (or the end)
				int lastDiffering = differs;
				for (int i = differs + 1; i < ascii.length && i - lastDiffering < MIN_EMBEDDED_LENGTH; i++) {
					if (i >= common || ascii[i] != lastBytes[i]) {
						lastDiffering = i;
					}
				}
				// the windows that hold a differing byte start from differs - 7 to lastDiffering
				int firstEnd = Math.max(0, differs + 1 - MIN_EMBEDDED_LENGTH);
				int lastEnd = Math.min(ascii.length - 1, lastDiffering + MIN_EMBEDDED_LENGTH - 1);
				int found = look(ascii, firstEnd, lastEnd);
				if (found == FOUND) {
					return null;
				}
				comparable &= (found == CLEAN);
				lookedAt += lastEnd - firstEnd + 1;
				from = lastDiffering + 1;
			}
			if (!comparable) {
				return new CleanLine(this, new byte[0], false);
			}
			return (lookedAt < BYTES_WORTH_A_NEW_LINE) ? last : new CleanLine(this, ascii.clone(), true);
		}

		/**
		 * Look at the windows of ASCII text that start at {@code first} or after and end at
		 * {@code last} or before.
		 * @return {@link #FOUND}, {@link #CLEAN}, or {@link #CLEAN_BUT_ANCHORED} when some
		 * window is a pattern's anchor though no pattern is there
		 */
		private int look(byte[] ascii, int first, int last) {
			int found = CLEAN;
			int run = 0;
			for (int end = first; end <= last; end++) {
				run = (run + 1) & this.inAnchors[ascii[end] & 0xFF];
				if (run >= MIN_EMBEDDED_LENGTH) {
					int start = end + 1 - MIN_EMBEDDED_LENGTH;
					int slot = slotOf(anchorAt(ascii, start));
					if (slot >= 0) {
						for (int p = this.first[slot]; p >= 0; p = this.next[p]) {
							if (startsWith(ascii, start, this.patterns[p])) {
								return FOUND;
							}
						}
						found = CLEAN_BUT_ANCHORED;
					}
				}
			}
			return found;
		}

		private static boolean startsWith(byte[] ascii, int start, String pattern) {
			if (start + pattern.length() > ascii.length) {
				return false;
			}
			for (int i = 0; i < pattern.length(); i++) {
				if (ascii[start + i] != pattern.charAt(i)) {
					return false;
				}
			}
			return true;
		}

		String mask(String text) {
			if (isEmpty() || text.length() < MIN_EMBEDDED_LENGTH) {
				return text;
			}
			byte[] low = lowBytes(text);
			StringBuilder masked = null;
			int copied = 0;
			int maskedUntil = -1;
			int run = 0;
			for (int end = 0; end < low.length; end++) {
				run = (run + 1) & this.inAnchors[low[end] & 0xFF];
				if (run < MIN_EMBEDDED_LENGTH) {
					continue;
				}
				int start = end + 1 - MIN_EMBEDDED_LENGTH;
				int length = longestAt(text, start, anchorAt(low, start));
				if (length > 0) {
					if (masked == null) {
						masked = new StringBuilder(text.length());
					}
					if (start > maskedUntil) {
						masked.append(text, copied, start).append(MASK);
					}
					maskedUntil = Math.max(maskedUntil, start + length);
					copied = maskedUntil;
				}
			}
			if (masked == null) {
				return text;
			}
			return masked.append(text, Math.min(copied, text.length()), text.length()).toString();
		}

		/** The low byte of each character of a text, in order. */
		@SuppressWarnings("deprecation") // the one copy that keeps exactly the low byte of each character
		private static byte[] lowBytes(String text) {
			byte[] low = new byte[text.length()];
			text.getBytes(0, text.length(), low, 0);
			return low;
		}

		/** The anchor of the window of {@value #MIN_EMBEDDED_LENGTH} characters at {@code start}. */
		private static long anchorAt(byte[] low, int start) {
			return (long) WINDOW.get(low, start);
		}

		private int filterWord(long mixed) {
			return (int) (mixed >>> 32) & (this.filter.length - 1);
		}

		private static long filterBits(long mixed) {
			return (1L << (mixed >>> 20)) | (1L << (mixed >>> 26));
		}

		/**
		 * The anchor times a large odd constant, its high half folded onto its low half. The
		 * low half of the result depends on every bit of the anchor (the table's slot and the
		 * filter's bits come from it); the high half, which picks the filter's word, on the
		 * anchor's first six bytes at least.
		 */
		private static long mix(long anchor) {
			long mixed = anchor * 0x9E3779B97F4A7C15L;
			return mixed ^ (mixed >>> 32);
		}

	}

}
