package httpfloor;

import java.io.IOException;
import java.nio.file.Files;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.threads.VirtualThreadExecutor;

/**
 * Tomcat with one servlet, on virtual threads as Foyer runs it: reads the form's {@code grant_type} and the
 * {@code Authorization} header, and writes the fixed answer. No Spring.
 */
public final class TomcatFloor {

	private TomcatFloor() {
	}

	public static void main(String[] args) throws Exception {
		int[] a = FixedAnswer.arguments(args);
		byte[] answer = FixedAnswer.of(a[1]);
		Tomcat tomcat = new Tomcat();
		tomcat.setBaseDir(Files.createTempDirectory("tomcat-floor").toString());
		Connector connector = new Connector("HTTP/1.1");
		connector.setPort(a[0]);
		connector.setProperty("address", "127.0.0.1");
		connector.getProtocolHandler().setExecutor(new VirtualThreadExecutor("floor-"));
		tomcat.setConnector(connector);
		var context = tomcat.addContext("", null);
		Tomcat.addServlet(context, "token", new HttpServlet() {
			@Override
			protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
				if (request.getParameter("grant_type") == null || request.getHeader("Authorization") == null) {
					response.sendError(400);
					return;
				}
				response.setContentType("application/json;charset=UTF-8");
				response.setHeader("Cache-Control", "no-store");
				response.setContentLength(answer.length);
				response.getOutputStream().write(answer);
			}
		});
		context.addServletMappingDecoded("/*", "token");
		tomcat.start();
		tomcat.getServer().await();
	}

}
