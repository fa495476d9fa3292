package dev.mountedsecrets.actuate;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.mountedsecrets.ServedSecrets;

/**
 * The last response body found to show no secret, for each of a few actuator requests, with
 * the registry of served values it was searched against and that registry's size then. A body
 * identical to it, byte for byte, while the same registry has the same size, shows no secret
 * either: the same text searched for the same values (a registry only grows; another registry,
 * as after a Spring Cloud refresh, never matches). Comparing 150 KB takes some 15
 * microseconds, searching it some 300: most actuator pages ({@code /env}, {@code /configprops},
 * {@code /beans}, {@code /conditions}) are the same at every request until the configuration
 * changes.
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
	 * Whether a body is the one last found clean for the same request, against the same
	 * values. A body remembered against other values is forgotten.
	 * @param request the request (path, query and charset)
	 * @param body the body
	 * @param served the registry of served values in use
	 * @param size its size, read before this call
	 * @return whether it is known to show no secret
	 */
	boolean isKnownClean(String request, byte[] body, ServedSecrets served, int size) {
		Clean clean = this.byRequest.get(request);
		if (clean == null) {
			return false;
		}
		if (clean.served() != served || clean.size() != size) {
			this.byRequest.remove(request, clean);
			return false;
		}
		return Arrays.equals(clean.body(), body);
	}

	/**
	 * Remember a body found clean.
	 * @param request the request (path, query and charset)
	 * @param body the body
	 * @param served the registry it was searched against
	 * @param size the registry's size read before the search began (it can only have grown)
	 */
	void remember(String request, byte[] body, ServedSecrets served, int size) {
		if (body.length < MIN_LENGTH || body.length > MAX_LENGTH) {
			return;
		}
		if (this.byRequest.size() >= MAX_REQUESTS && !this.byRequest.containsKey(request)) {
			this.byRequest.clear();
		}
		this.byRequest.put(request, new Clean(body, served, size));
	}

	private record Clean(byte[] body, ServedSecrets served, int size) {

	}

}
