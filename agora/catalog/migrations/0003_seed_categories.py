from django.db import migrations

# (slug, English, Chinese, children)
TREE = [
    ("apparel", "Clothing & Shoes", "服饰鞋包", [
        ("womens-clothing", "Women's clothing", "女装"), ("mens-clothing", "Men's clothing", "男装"),
        ("shoes", "Shoes", "鞋靴"), ("bags", "Bags", "箱包"),
    ]),
    ("electronics", "Electronics", "数码家电", [
        ("phones", "Phones", "手机"), ("computers", "Computers", "电脑"), ("audio", "Audio", "影音"),
    ]),
    ("home", "Home & Living", "家居生活", [
        ("kitchen", "Kitchen", "厨具"), ("furniture", "Furniture", "家具"), ("bedding", "Bedding", "床品"),
    ]),
    ("food", "Food & Drink", "食品饮料", [
        ("tea", "Tea", "茶叶"), ("snacks", "Snacks", "零食"), ("fresh", "Fresh produce", "生鲜"),
    ]),
    ("beauty", "Beauty", "美妆个护", [("skincare", "Skincare", "护肤"), ("makeup", "Makeup", "彩妆")]),
    ("books", "Books & Media", "图书音像", [("books-cn", "Books", "图书"), ("music", "Music", "音乐")]),
    ("sports", "Sports & Outdoors", "运动户外", [("fitness", "Fitness", "健身"), ("camping", "Camping", "露营")]),
]


def seed(apps, schema_editor):
    Category = apps.get_model("catalog", "Category")
    for i, (slug, name, name_zh, children) in enumerate(TREE):
        parent, _ = Category.objects.get_or_create(
            slug=slug, defaults={"name": name, "name_zh": name_zh, "position": i})
        for j, (cslug, cname, cname_zh) in enumerate(children):
            Category.objects.get_or_create(
                slug=cslug, defaults={"name": cname, "name_zh": cname_zh, "parent": parent, "position": j})


def unseed(apps, schema_editor):
    Category = apps.get_model("catalog", "Category")
    Category.objects.filter(parent__isnull=False).delete()
    Category.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_initial")]
    operations = [migrations.RunPython(seed, unseed)]
