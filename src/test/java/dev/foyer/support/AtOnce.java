package dev.foyer.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Sends the same request from several threads released together, to race them against one another. */
public final class AtOnce {

	private AtOnce() {
	}

	/** What each of {@code count} threads got from {@code request}, all started at the same moment. */
	public static <T> List<T> run(int count, Callable<T> request) throws Exception {
		ExecutorService threads = Executors.newFixedThreadPool(count);
		try {
			CountDownLatch ready = new CountDownLatch(count);
			CountDownLatch go = new CountDownLatch(1);
			List<Future<T>> answers = new ArrayList<>();
			for (int i = 0; i < count; i++) {
				answers.add(threads.submit(() -> {
					ready.countDown();
					go.await();
					return request.call();
				}));
			}
			ready.await();
			go.countDown();
			List<T> results = new ArrayList<>();
			for (Future<T> answer : answers) {
				results.add(answer.get());
			}
			return results;
		}
		finally {
			threads.shutdownNow();
		}
	}

}
