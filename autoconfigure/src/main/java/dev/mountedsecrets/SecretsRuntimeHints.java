package dev.mountedsecrets;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.boot.context.properties.bind.BindableRuntimeHintsRegistrar;

/**
 * Hints for a native image: the environment post-processor binds {@link SecretsProperties}
 * (and its nested settings) itself, with a {@code Binder}, before any bean exists, so the
 * AOT processing of {@code @ConfigurationProperties} beans does not cover it. Registered in
 * {@code META-INF/spring/aot.factories}; the classes of {@code spring.factories} are covered
 * by Spring's own {@code SpringFactoriesLoaderRuntimeHints}.
 */
class SecretsRuntimeHints implements RuntimeHintsRegistrar {

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		BindableRuntimeHintsRegistrar.forTypes(SecretsProperties.class).registerHints(hints, classLoader);
	}

}
