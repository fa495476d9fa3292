package dev.mountedsecrets.actuate;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Warns once at start-up that {@code /actuator/heapdump} is exposed: a heap dump holds every
 * secret in clear, and no masking can apply to it.
 */
public class HeapDumpWarning implements SmartInitializingSingleton {

	private static final Log logger = LogFactory.getLog(HeapDumpWarning.class);

	@Override
	public void afterSingletonsInstantiated() {
		logger.warn("The heapdump actuator endpoint is exposed: a heap dump contains every secret in clear text and"
				+ " is not masked. Remove heapdump from management.endpoints.web.exposure.include (or set"
				+ " management.endpoint.heapdump.access=none) unless you are debugging.");
	}

}
