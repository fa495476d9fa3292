package dev.mountedsecrets.autoconfigure;

import dev.mountedsecrets.SecretsEnvironmentPostProcessor;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.util.ClassUtils;

/**
 * Boot 3's entry to {@link SecretsEnvironmentPostProcessor}, registered in
 * {@code spring.factories} under {@code org.springframework.boot.env.EnvironmentPostProcessor}.
 * Boot 4.0 and 4.1 read that key too, and find {@link SecretsPostProcessor} under their own:
 * there this one does nothing, so the secrets are read once. Before Boot 3.5 it stops
 * start-up with a message that names the supported versions.
 */
public final class Boot3SecretsPostProcessor implements EnvironmentPostProcessor, Ordered {

	/** Boot 4's post-processor interface: when present, {@link SecretsPostProcessor} runs. */
	static final String BOOT4_POST_PROCESSOR = "org.springframework.boot.EnvironmentPostProcessor";

	/** A class that Boot 3.5 added and that the auto-configurations need. */
	static final String BOOT35_CLASS = "org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty";

	private final SecretsEnvironmentPostProcessor delegate;

	private final ClassLoader classLoader;

	public Boot3SecretsPostProcessor(DeferredLogFactory logFactory) {
		this(logFactory, Boot3SecretsPostProcessor.class.getClassLoader());
	}

	Boot3SecretsPostProcessor(DeferredLogFactory logFactory, ClassLoader classLoader) {
		this.delegate = new SecretsEnvironmentPostProcessor(logFactory);
		this.classLoader = classLoader;
	}

	@Override
	public int getOrder() {
		return this.delegate.getOrder();
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (ClassUtils.isPresent(BOOT4_POST_PROCESSOR, this.classLoader)) {
			return;
		}
		if (!ClassUtils.isPresent(BOOT35_CLASS, this.classLoader)) {
			throw new UnsupportedBootVersionException(SpringBootVersion.getVersion());
		}
		this.delegate.postProcessEnvironment(environment, application);
	}

}
