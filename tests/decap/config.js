// Decap CMS for the widget's test: the in-memory test-repo backend (no server, no
// login), one collection whose entries have a title and a markdown body, and a
// preview template written the way Decap's docs show (createClass and h are
// globals of the bundle). Highlight colours for the preview come from custom
// properties in a preview style.
/* global CMS, createClass, h */

const PostPreview = createClass({
  render() {
    const entry = this.props.entry;
    return h('article', { className: 'post' },
      h('h1', {}, entry.getIn(['data', 'title']) || ''),
      h('div', { className: 'post-body' }, this.props.widgetFor('body')));
  },
});
CMS.registerPreviewTemplate('posts', PostPreview);
CMS.registerPreviewStyle(':root { --sorot-color-LOC: #9be7ff; } .post { font: 16px/1.5 Georgia, serif; max-width: 40rem; }', { raw: true });

CMS.init({
  config: {
    load_config_file: false,
    backend: { name: 'test-repo' },
    media_folder: 'static/img',
    public_folder: '/img',
    collections: [{
      name: 'posts', label: 'Posts', folder: 'content/posts', create: true, slug: '{{slug}}',
      fields: [{ label: 'Title', name: 'title', widget: 'string' }, { label: 'Body', name: 'body', widget: 'markdown' }],
    }],
  },
});
