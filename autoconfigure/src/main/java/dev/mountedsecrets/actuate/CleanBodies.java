package dev.mountedsecrets.actuate;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last response body found to show no secret, for each of a few actuator requests, with
 * the number of values served when it was searched. A body identical to it, byte for byte,
 * while that number is unchanged, shows no secret either: the same text searched for the same
 * values. Comparing 150 KB takes some 15 microseconds, searching it some 300: most actuator
 * pages ({@code /env}, {@code /configprops}, {@code /beans}, {@code /conditions}) are the same
 * at every request until the configuration changes.
 * <p>
 * Holds only bodies that showed no secret. Small bodies are searched every time (cheaper than
 * kept), and at most {@value #MAX_REQUESTS} requests of at most {@value #MAX_LENGTH} bytes are
 * kept. Thread-safe.
 */
final class CleanBodies {

	/** Shorter bodies are searched every time. */
	static final int MIN_LENGTH = 8 * 1024;

	/** Longer bodies are searched every time. */
	static final int MAX_LENGTH = 2 * 1024 * 1024;

	/** Requests remembered at most; a new one beyond them forgets all. */
	static final int MAX_REQUESTS = 16;

	private final Map<String, Clean> byRequest = new ConcurrentHashMap<>();

	/**
	 * Whether a body is the one last found clean for the same request.
	 * @param request the request (path, query and charset)
	 * @param body the body
	 * @param servedValues the number of values served now
	 * @return whether it is known to show no secret
	 */
	boolean isKnownClean(String request, byte[] body, int servedValues) {
		Clean clean = this.byRequest.get(request);
		return clean != null && clean.servedValues() == servedValues && Arrays.equals(clean.body(), body);
	}

	/**
	 * Remember a body found clean.
	 * @param request the request (path, query and charset)
	 * @param body the body
	 * @param servedValues the number of values served when, or before, the search began
	 */
	void remember(String request, byte[] body, int servedValues) {
		if (body.length < MIN_LENGTH || body.length > MAX_LENGTH) {
			return;
		}
		if (this.byRequest.size() >= MAX_REQUESTS && !this.byRequest.containsKey(request)) {
			this.byRequest.clear();
		}
		this.byRequest.put(request, new Clean(body, servedValues));
	}

	private record Clean(byte[] body, int servedValues) {

	}

}
