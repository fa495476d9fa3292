package dev.mountedsecrets.sample.wiring;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.mountedsecrets.reload.SecretsRotatedEvent;
import org.jspecify.annotations.Nullable;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * When each secret was last rotated in this run, from the starter's {@link SecretsRotatedEvent}
 * (names only, never values).
 */
@Component
public class RotationLog {

	private final Map<String, Instant> lastRotation = new ConcurrentHashMap<>();

	@EventListener
	void rotated(SecretsRotatedEvent event) {
		Instant now = Instant.now();
		event.getSecrets().forEach((name) -> this.lastRotation.put(name, now));
	}

	/**
	 * When a secret's new value was last taken into use.
	 * @param name the secret's name
	 * @return the time, or {@code null} if it was not rotated since start-up
	 */
	public @Nullable Instant lastRotation(String name) {
		return this.lastRotation.get(name);
	}

}
