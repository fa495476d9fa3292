package dev.mountedsecrets.logging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.apache.logging.log4j.core.config.xml.XmlConfiguration;
import org.apache.logging.log4j.core.filter.DynamicThresholdFilter;
import org.apache.logging.log4j.core.util.KeyValuePair;

/**
 * What the Log4j2 tests do to Log4j2 itself, kept out of the test classes: their signatures
 * name no Log4j2 type, so the Logback run of the tests can read their tags.
 */
final class Log4j2Support {

	private Log4j2Support() {
	}

	static LoggerContext context() {
		return (LoggerContext) LogManager.getContext(Log4j2Support.class.getClassLoader(), false);
	}

	/** A context-wide filter that accepts every event, DEBUG included, while a context entry has a value. */
	static void acceptDebugFor(String key, String value) {
		LoggerContext context = context();
		DynamicThresholdFilter filter = DynamicThresholdFilter.createFilter(key,
				new KeyValuePair[] { new KeyValuePair(value, "DEBUG") }, Level.ERROR, Filter.Result.ACCEPT,
				Filter.Result.NEUTRAL);
		filter.start();
		context.getConfiguration().addFilter(filter);
		context.updateLoggers();
	}

	static void reconfigure() {
		context().reconfigure();
	}

	/**
	 * In a Log4j2 context of its own, configured from a file and masked as the starter masks
	 * the process's context: log one line for each tenant, with the tenant and a token in the
	 * context data, then stop the context.
	 */
	static void logPerTenant(Path configuration, String token, List<String> tenants) throws IOException {
		LoggerContext context = new LoggerContext("per-tenant");
		try {
			context.start(new XmlConfiguration(context,
					new ConfigurationSource(Files.newInputStream(configuration), configuration.toFile())));
			Log4j2Masking.installOn(context);
			org.apache.logging.log4j.Logger logger = context.getLogger("routed.app");
			for (String tenant : tenants) {
				ThreadContext.put("tenant", tenant);
				ThreadContext.put("token", token);
				logger.info("ordinary-" + tenant);
				ThreadContext.clearMap();
			}
		}
		finally {
			context.stop();
		}
	}

}
