package dev.mountedsecrets.reload;

import org.apache.commons.logging.Log;

import org.springframework.core.Ordered;

/**
 * How the starter's listeners hand rotated secrets to what uses them (a connection pool, a mail
 * sender, Redis, OAuth2 registrations): ahead of the application's own listeners of
 * {@link SecretsRotatedEvent}, and without failing the event. A component that refuses the new
 * values (a pool already closed, a registration Spring Security finds invalid) keeps the ones
 * it has and says so in a warning that names the failure's type only (its message may quote a
 * value); every other listener still receives the rotation.
 */
public final class RotationHandOver {

	/** Ahead of the application's listeners and of Spring Cloud's rebinding. */
	public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 50;

	private RotationHandOver() {
	}

	/**
	 * Hand a rotation over to a component.
	 * @param component what is given the new values, as the warning names it
	 * @param event the rotation
	 * @param handOver the hand-over
	 * @param logger where a failure is told
	 */
	public static void run(String component, SecretsRotatedEvent event, Runnable handOver, Log logger) {
		try {
			handOver.run();
		}
		catch (RuntimeException ex) {
			logger.warn("The rotated secrets " + event.getSecrets() + " could not be handed to " + component + " ("
					+ ex.getClass().getName() + "): it keeps the values it had until the next rotation or a"
					+ " restart. Check the new values and the component's logs; the other listeners of the"
					+ " rotation received it.");
		}
	}

}
