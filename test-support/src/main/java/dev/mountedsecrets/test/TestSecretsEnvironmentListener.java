package dev.mountedsecrets.test;

import java.nio.file.Path;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;

/**
 * Points {@code secrets.dir} at a new private folder of the test's declared secrets, before
 * the environment post-processors run, so the starter reads that folder at start-up as it
 * would read {@code /run/secrets}.
 * <p>
 * A {@link org.springframework.test.context.ContextCustomizer} would be too late for that:
 * Boot applies customizers as context initializers, after the environment is prepared. Boot's
 * test context loader names the test class as the application's main class (in Boot 3.5 and
 * 4 alike), and that is where the declaration is read. Registered in {@code spring.factories};
 * it does nothing for an application whose main class declares no {@link TestSecret}.
 */
public final class TestSecretsEnvironmentListener
		implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

	/** Name of the property source that holds {@code secrets.dir}. */
	public static final String PROPERTY_SOURCE_NAME = "mountedSecretsTestFolder";

	/**
	 * Before Boot's listener that runs the environment post-processors
	 * ({@code Ordered.HIGHEST_PRECEDENCE + 10}), after the test loader's own, which adds the
	 * test's inlined properties.
	 */
	public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 5;

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
		Class<?> mainClass = event.getSpringApplication().getMainApplicationClass();
		if (mainClass == null) {
			return;
		}
		SecretsDeclaration declaration = SecretsDeclaration.of(mainClass);
		if (declaration == null || folderOf(event.getEnvironment()) != null) {
			return;
		}
		install(event.getEnvironment(), TestSecretsFolders.create(declaration));
	}

	static void install(ConfigurableEnvironment environment, Path folder) {
		environment.getPropertySources()
			.addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME, Map.of("secrets.dir", folder.toString())));
	}

	static @Nullable Path folderOf(ConfigurableEnvironment environment) {
		PropertySource<?> source = environment.getPropertySources().get(PROPERTY_SOURCE_NAME);
		return (source != null) ? Path.of(String.valueOf(source.getProperty("secrets.dir"))) : null;
	}

}
