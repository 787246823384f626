// The changes of one article's annotations: `_changes?filter=claimmark/article&article=<id>`.
function (doc, req) {
  return doc._id.indexOf('ann:' + req.query.article + ':') === 0;
}
