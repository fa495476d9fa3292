package dev.mountedsecrets;

import java.lang.reflect.Array;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;

/**
 * Every value the process has served from a secret file (the folder at start-up, every
 * rotation, {@code X_FILE} variables), kept for the life of the process so that a value still
 * held by a bean after a rotation is masked like the current one. Answers in constant time
 * whether a value is a secret, and in one pass over a text whether it contains one (in clear,
 * Base64, URL-encoded or hex form): an Aho-Corasick automaton over all forms.
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

	private volatile Index index = Index.EMPTY;

	/**
	 * Record values as served. Empty values are ignored.
	 * @param values the values
	 */
	public synchronized void record(Collection<String> values) {
		Index current = this.index;
		Set<String> added = new LinkedHashSet<>();
		for (String value : values) {
			if (!value.isEmpty() && !current.raw.contains(value)) {
				added.add(value);
			}
		}
		if (!added.isEmpty()) {
			Set<String> raw = new HashSet<>(current.raw);
			raw.addAll(added);
			this.index = new Index(raw);
		}
	}

	/**
	 * How many distinct values were served.
	 * @return the count
	 */
	public int size() {
		return this.index.raw.size();
	}

	/**
	 * Whether a value shows a served secret: it equals one, or its text contains one (of
	 * {@value #MIN_EMBEDDED_LENGTH} characters or more), in any of the forms looked for.
	 * Numbers, {@code char[]}, {@code byte[]}, arrays, collections and maps are looked at
	 * through their text and their elements.
	 * @param value any value
	 * @return whether it shows a secret
	 */
	public boolean shows(@Nullable Object value) {
		Index current = this.index;
		if (value == null || current.raw.isEmpty()) {
			return false;
		}
		return current.shows(value, 0);
	}

	/**
	 * Replace every served secret in a text by {@value #MASK}.
	 * @param text any text
	 * @return the text, masked; the same instance when it shows no secret
	 */
	public String mask(String text) {
		Index current = this.index;
		if (current.raw.contains(text)) {
			return MASK;
		}
		return current.automaton.mask(text);
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
	 * The forms of a value looked for: as written, Base64 (standard and URL-safe), URL-encoded
	 * and hex of its UTF-8 bytes, and with JSON/Java escapes.
	 */
	static Set<String> forms(String value) {
		Set<String> forms = new LinkedHashSet<>();
		forms.add(value);
		byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
		forms.add(Base64.getEncoder().encodeToString(bytes));
		forms.add(Base64.getEncoder().withoutPadding().encodeToString(bytes));
		forms.add(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
		forms.add(URLEncoder.encode(value, StandardCharsets.UTF_8));
		forms.add(URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20"));
		forms.add(HexFormat.of().formatHex(bytes));
		forms.add(HexFormat.of().withUpperCase().formatHex(bytes));
		forms.add(value.replace("\\", "\\\\").replace("\"", "\\\"").replace("/", "\\/"));
		forms.add(value.replace("\\", "\\\\").replace("\"", "\\\""));
		forms.add(VerbatimValues.escape(value));
		return forms;
	}

	private static final class Index {

		static final Index EMPTY = new Index(Set.of());

		private static final int MAX_DEPTH = 8;

		final Set<String> raw;

		final Set<String> exact;

		final Automaton automaton;

		Index(Set<String> raw) {
			this.raw = Set.copyOf(raw);
			Set<String> exact = new HashSet<>();
			List<String> patterns = new ArrayList<>();
			for (String value : raw) {
				for (String form : forms(value)) {
					exact.add(form);
					if (form.length() >= MIN_EMBEDDED_LENGTH) {
						patterns.add(form);
					}
				}
			}
			this.exact = Set.copyOf(exact);
			this.automaton = new Automaton(patterns);
		}

		boolean shows(@Nullable Object value, int depth) {
			if (value == null || depth > MAX_DEPTH) {
				return false;
			}
			if (value instanceof CharSequence text) {
				return showsText(text.toString());
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
			return !text.isEmpty() && (this.exact.contains(text) || this.automaton.foundIn(text));
		}

	}

	/**
	 * Aho-Corasick automaton: finds every pattern in a text in one pass, whatever the number
	 * of patterns.
	 */
	static final class Automaton {

		private final Map<Long, Integer> transitions = new HashMap<>();

		private int[] failure = new int[16];

		/** Longest pattern that ends at each state, following failure links; 0 for none. */
		private int[] matchLength = new int[16];

		private int states = 1;

		Automaton(Collection<String> patterns) {
			for (String pattern : patterns) {
				add(pattern);
			}
			link();
		}

		private void add(String pattern) {
			int state = 0;
			for (int i = 0; i < pattern.length(); i++) {
				long key = key(state, pattern.charAt(i));
				Integer next = this.transitions.get(key);
				if (next == null) {
					next = newState();
					this.transitions.put(key, next);
				}
				state = next;
			}
			this.matchLength[state] = Math.max(this.matchLength[state], pattern.length());
		}

		private int newState() {
			if (this.states == this.failure.length) {
				this.failure = Arrays.copyOf(this.failure, this.states * 2);
				this.matchLength = Arrays.copyOf(this.matchLength, this.states * 2);
			}
			return this.states++;
		}

		private void link() {
			Map<Integer, List<long[]>> children = new HashMap<>();
			this.transitions.forEach((key, target) -> children.computeIfAbsent((int) (key >>> 16), (k) -> new ArrayList<>())
				.add(new long[] { key & 0xFFFF, target }));
			ArrayList<Integer> queue = new ArrayList<>();
			queue.add(0);
			for (int head = 0; head < queue.size(); head++) {
				int state = queue.get(head);
				for (long[] child : children.getOrDefault(state, List.of())) {
					char c = (char) child[0];
					int target = (int) child[1];
					int fail = 0;
					if (state != 0) {
						int f = this.failure[state];
						while (true) {
							Integer next = this.transitions.get(key(f, c));
							if (next != null) {
								fail = next;
								break;
							}
							if (f == 0) {
								break;
							}
							f = this.failure[f];
						}
					}
					this.failure[target] = fail;
					this.matchLength[target] = Math.max(this.matchLength[target], this.matchLength[fail]);
					queue.add(target);
				}
			}
		}

		private int step(int state, char c) {
			int current = state;
			while (true) {
				Integer next = this.transitions.get(key(current, c));
				if (next != null) {
					return next;
				}
				if (current == 0) {
					return 0;
				}
				current = this.failure[current];
			}
		}

		boolean foundIn(String text) {
			if (this.states == 1) {
				return false;
			}
			int state = 0;
			for (int i = 0; i < text.length(); i++) {
				state = step(state, text.charAt(i));
				if (this.matchLength[state] > 0) {
					return true;
				}
			}
			return false;
		}

		String mask(String text) {
			if (this.states == 1) {
				return text;
			}
			int state = 0;
			int[] starts = null;
			for (int i = 0; i < text.length(); i++) {
				state = step(state, text.charAt(i));
				int length = this.matchLength[state];
				if (length > 0) {
					if (starts == null) {
						starts = new int[text.length()];
						Arrays.fill(starts, -1);
					}
					starts[i] = i - length + 1;
				}
			}
			if (starts == null) {
				return text;
			}
			List<int[]> ranges = new ArrayList<>();
			for (int i = text.length() - 1; i >= 0; i--) {
				if (starts[i] >= 0) {
					int[] last = ranges.isEmpty() ? null : ranges.get(ranges.size() - 1);
					if (last != null && last[0] <= i + 1) {
						last[0] = Math.min(last[0], starts[i]);
					}
					else {
						ranges.add(new int[] { starts[i], i });
					}
				}
			}
			StringBuilder masked = new StringBuilder(text.length());
			int position = 0;
			for (int r = ranges.size() - 1; r >= 0; r--) {
				int[] range = ranges.get(r);
				masked.append(text, position, range[0]).append(MASK);
				position = range[1] + 1;
			}
			masked.append(text, position, text.length());
			return masked.toString();
		}

		private static long key(int state, char c) {
			return ((long) state << 16) | c;
		}

	}

}
