package dev.mountedsecrets.reload;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;

/**
 * Tells Spring Cloud about a rotation: publishes its {@link EnvironmentChangeEvent} with the
 * names of the changed properties, so that its rebinder binds {@code @ConfigurationProperties}
 * beans again (a {@code key=${secrets.file.crypto_key}} property sees the new key). Runs before
 * other listeners of {@link SecretsRotatedEvent}, so that they see the rebound beans; a bean
 * that fails to rebind is reported without stopping the credential updaters.
 */
public class EnvironmentChangePublisher implements ApplicationListener<SecretsRotatedEvent>, Ordered {

	private static final Log logger = LogFactory.getLog(EnvironmentChangePublisher.class);

	/** Ahead of other listeners of the rotation, which may read rebound beans. */
	public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

	private final ApplicationContext context;

	/**
	 * Create the publisher.
	 * @param context the context whose beans Spring Cloud rebinds (its rebinder only acts on
	 * events whose source is its own context)
	 */
	public EnvironmentChangePublisher(ApplicationContext context) {
		this.context = context;
	}

	@Override
	public void onApplicationEvent(SecretsRotatedEvent event) {
		try {
			this.context.publishEvent(new EnvironmentChangeEvent(this.context, event.getProperties()));
		}
		catch (RuntimeException ex) {
			// The cause may quote a bound value: name its type only.
			logger.warn("Spring Cloud could not rebind configuration properties after the rotation of "
					+ event.getSecrets() + " (" + ex.getClass().getName() + "); beans not yet rebound keep their"
					+ " previous values. Check the @ConfigurationProperties classes that use these secrets.");
		}
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

}
