package dev.mountedsecrets.sample.web;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * A per-tenant visit counter in Redis, which requires the password from {@code redis_password}.
 */
@Component
class VisitCounter {

	private final StringRedisTemplate redis;

	VisitCounter(StringRedisTemplate redis) {
		this.redis = redis;
	}

	long count(String tenant) {
		Long count = this.redis.opsForValue().increment(key(tenant));
		return (count != null) ? count : 0L;
	}

	long current(String tenant) {
		String count = this.redis.opsForValue().get(key(tenant));
		return (count != null) ? Long.parseLong(count) : 0L;
	}

	private static String key(String tenant) {
		return "visits:" + tenant;
	}

}
