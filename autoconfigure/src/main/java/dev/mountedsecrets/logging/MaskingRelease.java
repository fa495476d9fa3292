package dev.mountedsecrets.logging;

import dev.mountedsecrets.ServedSecrets;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.Environment;

/**
 * Lets go of an application's secrets registry in the log masking once its context is closed:
 * registered before any bean exists, it is the first disposable bean of the context and so
 * the last one destroyed, after every {@code @PreDestroy} method, lifecycle stop and graceful
 * shutdown, which may all log. A context whose refresh failed is never closed: its registry
 * stays in use, so that the failure report is masked.
 */
final class MaskingRelease implements DisposableBean, ApplicationListener<ContextClosedEvent> {

	static final String BEAN_NAME = "mountedSecretsLogMaskingRelease";

	private final ConfigurableApplicationContext context;

	private final ServedSecrets served;

	private final Environment holder;

	private volatile boolean closing;

	private MaskingRelease(ConfigurableApplicationContext context, ServedSecrets served, Environment holder) {
		this.context = context;
		this.served = served;
		this.holder = holder;
	}

	/**
	 * Register the release in a context not yet refreshed, unless it is registered already.
	 * @param context the context
	 * @param served its registry
	 * @param holder what holds the registry in use for that application
	 */
	static void register(ConfigurableApplicationContext context, ServedSecrets served, Environment holder) {
		ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
		if (!(beanFactory instanceof DefaultSingletonBeanRegistry registry) || beanFactory.containsSingleton(BEAN_NAME)) {
			return;
		}
		MaskingRelease release = new MaskingRelease(context, served, holder);
		beanFactory.registerSingleton(BEAN_NAME, release);
		registry.registerDisposableBean(BEAN_NAME, release);
		context.addApplicationListener(release);
	}

	/**
	 * Whether a context lets go of its registry through a release.
	 * @param context the context
	 * @return whether a release is registered in it
	 */
	static boolean registeredIn(org.springframework.context.ApplicationContext context) {
		return context instanceof ConfigurableApplicationContext configurable
				&& configurable.getBeanFactory().containsSingleton(BEAN_NAME);
	}

	@Override
	public void onApplicationEvent(ContextClosedEvent event) {
		if (event.getApplicationContext() == this.context) {
			this.closing = true;
		}
	}

	@Override
	public void destroy() {
		if (this.closing) {
			LogMasking.forget(this.served, this.holder);
			// a refresh may have put another folder's registry in the environment since
			ServedSecrets now = ServedSecrets.in(this.holder);
			if (now != null && now != this.served) {
				LogMasking.forget(now, this.holder);
			}
		}
	}

	@Override
	public String toString() {
		return "MaskingRelease[" + this.served + "]";
	}

}
