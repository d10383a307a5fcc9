import { describeWithEventStore } from '@medlineage/testing';
import { testEventStoreContract } from '@medlineage/event-store/testing';
import { EsdbEventStore } from './esdb-event-store';

// Runs against EVENTSTORE_CONNECTION_STRING or a KurrentDB container where Docker exists; elsewhere
// it reports that it did not run (and fails when REQUIRE_EVENTSTORE=1).
describeWithEventStore('EventStoreDB adapter', (eventstore) => {
  testEventStoreContract('EventStoreDB / KurrentDB', () => {
    const store = EsdbEventStore.connect(eventstore().connectionString);
    return Promise.resolve({ store, teardown: () => store.close() });
  });
});
