package dev.dialtone.client.internal;

import dev.dialtone.client.DialtoneException;
import dev.dialtone.protocol.Command;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** Sends commands for the classes that build them ({@link CallCommands}); implemented by ClientCore. */
interface Requester {

    /**
     * Sends a command built with a fresh id and returns its future. Arguments are validated by the
     * command record and throw {@link IllegalArgumentException} here, synchronously; a client that
     * is not connected (nor resuming) fails the future with a CONNECTION {@link DialtoneException}.
     */
    <T> CompletableFuture<T> request(Function<String, Command> build, HandlerFactory<T> handler);

    /** Makes the reply handler of a request, for the session it is sent in. Called under the lock. */
    interface HandlerFactory<T> {
        PendingRequest.Handler create(ClientFuture<T> future, SessionState session);
    }

    /** A reply handler whose failure fails its future. */
    abstract class Answer<T> implements PendingRequest.Handler {
        final ClientFuture<T> future;

        Answer(ClientFuture<T> future) {
            this.future = future;
        }

        @Override
        public void failed(DialtoneException error) {
            future.failInOrder(error);
        }
    }
}
