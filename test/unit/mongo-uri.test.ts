import { databaseName } from '../../store/mongo';

describe('the database a MongoDB URI names', () => {
  it.each([
    ['mongodb://db.example.com:27017', 'compass'],
    ['mongodb://db.example.com:27017/', 'compass'],
    ['mongodb://db.example.com:27017/tenants?retryWrites=false', 'tenants'],
    ['mongodb://user:p%40ss@db-1:27017,db-2:27017/compass_prod?replicaSet=rs0', 'compass_prod'],
    ['mongodb+srv://cluster.example.com/with%20space', 'with space'],
    ['mongodb://%2Fvar%2Frun%2Fmongodb.sock/local', 'local'],
    ['mongodb://%2Fvar%2Frun%2Fmongodb.sock', 'compass'],
  ])('%s → %s', (uri, name) => {
    expect(databaseName(uri)).toBe(name);
  });
});
