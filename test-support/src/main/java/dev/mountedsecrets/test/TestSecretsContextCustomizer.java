package dev.mountedsecrets.test;

import java.nio.file.Path;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Registers the {@link TestSecretsFolder} bean of a context with declared secrets and removes
 * the folder when the context closes. Equal for equal declarations: the context cache key.
 */
final class TestSecretsContextCustomizer implements ContextCustomizer {

	private final SecretsDeclaration declaration;

	TestSecretsContextCustomizer(SecretsDeclaration declaration) {
		this.declaration = declaration;
	}

	@Override
	public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
		Path folder = TestSecretsEnvironmentListener.folderOf(context.getEnvironment());
		if (folder == null) {
			// Not started by Boot's test loader: no post-processor has read secrets.dir yet.
			folder = TestSecretsFolders.create(this.declaration);
			TestSecretsEnvironmentListener.install(context.getEnvironment(), folder);
		}
		Path created = folder;
		context.getBeanFactory()
			.registerSingleton(TestSecretsFolder.BEAN_NAME,
					new TestSecretsFolder(created, this.declaration.names(), context));
		context.addApplicationListener(new RemoveOnClose(context, created));
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return other instanceof TestSecretsContextCustomizer customizer
				&& this.declaration.equals(customizer.declaration);
	}

	@Override
	public int hashCode() {
		return this.declaration.hashCode();
	}

	private record RemoveOnClose(ConfigurableApplicationContext context, Path folder)
			implements ApplicationListener<ContextClosedEvent> {

		@Override
		public void onApplicationEvent(ContextClosedEvent event) {
			if (event.getApplicationContext() == this.context) {
				TestSecretsFolders.delete(this.folder);
			}
		}

	}

	@Override
	public String toString() {
		return "TestSecretsContextCustomizer" + this.declaration.secrets();
	}

}
