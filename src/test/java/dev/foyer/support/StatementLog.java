package dev.foyer.support;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Records every SQL statement Foyer prepares or executes, by wrapping its DataSource. Import it into a test that
 * must prove a path writes nothing. The sign-in log's writer thread is left out: it writes, twice a second, what
 * earlier requests queued, on its own schedule and not on any request's path.
 */
@TestConfiguration(proxyBeanMethods = false)
public class StatementLog {

	private static final String SIGN_IN_LOG_WRITER = "sign-in-log";

	private final List<String> statements = new CopyOnWriteArrayList<>();

	public List<String> statements() {
		return this.statements;
	}

	public void clear() {
		this.statements.clear();
	}

	public List<String> writes() {
		return this.statements.stream().filter(sql -> {
			String head = sql.stripLeading().toLowerCase(Locale.ROOT);
			return head.startsWith("insert") || head.startsWith("update") || head.startsWith("delete")
					|| head.startsWith("merge");
		}).toList();
	}

	@Bean
	static BeanPostProcessor statementLoggingDataSource(org.springframework.beans.factory.ObjectProvider<StatementLog> log) {
		return new BeanPostProcessor() {
			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				if (bean instanceof DataSource dataSource) {
					return proxy(DataSource.class, dataSource, log);
				}
				return bean;
			}
		};
	}

	@SuppressWarnings("unchecked")
	private static <T> T proxy(Class<T> type, T target, org.springframework.beans.factory.ObjectProvider<StatementLog> log) {
		return (T) Proxy.newProxyInstance(StatementLog.class.getClassLoader(), new Class<?>[] { type }, (p, method, args) -> {
			if (args != null && args.length > 0 && args[0] instanceof String sql
					&& (method.getName().startsWith("prepare") || method.getName().startsWith("execute")
							|| method.getName().equals("addBatch"))
					&& !Thread.currentThread().getName().equals(SIGN_IN_LOG_WRITER)) {
				log.getObject().statements.add(sql);
			}
			try {
				Object result = method.invoke(target, args);
				if (result instanceof Connection connection) {
					return proxy(Connection.class, connection, log);
				}
				if (result instanceof Statement statement && !(result instanceof java.sql.PreparedStatement)) {
					return proxy(Statement.class, statement, log);
				}
				return result;
			}
			catch (InvocationTargetException ex) {
				throw ex.getCause();
			}
		});
	}

}
